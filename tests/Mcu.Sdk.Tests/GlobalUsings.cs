global using Mcu.Sdk.Tests.TestSupport;
global using Xunit;
