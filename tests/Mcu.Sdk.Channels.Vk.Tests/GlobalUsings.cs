global using Mcu.Sdk.Channels.Vk.Tests.TestSupport;
global using Xunit;
