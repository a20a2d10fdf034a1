using System.Diagnostics.CodeAnalysis;

// The conformance suites are xunit tests shipped in a library: their names follow the tests' Method_Scenario_Expected
// convention, so that a failing inherited test reads the same as any other test of the adapter.
[assembly: SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "xunit test names follow Method_Scenario_Expected.", Scope = "namespaceanddescendants", Target = "~N:Mcu.Sdk.Testing.Conformance")]
