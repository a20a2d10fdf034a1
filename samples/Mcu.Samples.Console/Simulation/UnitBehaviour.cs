namespace Mcu.Samples.Console.Simulation;

/// <summary>
/// How fast each unit of the built-in routing answers in the simulation: a factor on the typical delay (1 = typical,
/// below 1 faster, above 1 slower), so that the overdue table of the report has leaders and laggards.
/// </summary>
internal static class UnitBehaviour
{
    private static readonly Dictionary<string, double> Factors = new(StringComparer.Ordinal)
    {
        ["mcu"] = 0.5,
        ["city-economy"] = 1.0,
        ["transport-roads"] = 1.35,
        ["veterinary"] = 0.7,
        ["police"] = 0.8,
        ["healthcare"] = 1.2,
        ["education"] = 1.1,
        ["social-protection"] = 1.5,
        ["ecology"] = 1.3,
        ["architecture"] = 1.8,
        ["consumer-market"] = 1.2,
        ["communications"] = 1.0,
        ["culture-sport"] = 0.9,
        ["public-services"] = 0.9,
        ["employment"] = 1.1,
        ["funeral-services"] = 1.4,
        ["property"] = 1.7,
    };

    /// <summary>Gets the delay factor of a unit.</summary>
    /// <param name="unitId">The unit id, or <see langword="null"/>.</param>
    /// <returns>The factor; 1 for a unit the table does not know.</returns>
    public static double Factor(string? unitId) => unitId is not null && Factors.TryGetValue(unitId, out var factor) ? factor : 1.0;
}
