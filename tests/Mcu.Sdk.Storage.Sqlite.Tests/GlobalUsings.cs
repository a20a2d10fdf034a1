global using Mcu.Sdk.Storage.Sqlite.Tests.TestSupport;
global using Xunit;
