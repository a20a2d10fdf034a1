using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mcu.Sdk.Testing.Tests;

public sealed class CapturingLoggerProviderTests
{
    private static (ILogger Logger, CapturingLoggerProvider Provider, ServiceProvider Services) Create()
    {
        var provider = new CapturingLoggerProvider();
        var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(provider)).BuildServiceProvider();
        return (services.GetRequiredService<ILoggerFactory>().CreateLogger("Test.Category"), provider, services);
    }

    [Fact]
    public void EntriesContaining_SecretInMessageStateExceptionOrScope_Found()
    {
        var (logger, provider, services) = Create();
        using (services)
        {
            logger.LogTrace("Calling {Url}", "https://api.example/bot1:SECRET/getMe");
            logger.LogError(new InvalidOperationException("outer", new InvalidOperationException("inner SECRET2")), "Failed");
            using (logger.BeginScope("HTTP POST {Uri}", "https://api.example/bot1:SECRET3/x"))
            {
                logger.LogInformation("Nothing secret here");
            }

            Assert.Single(provider.EntriesContaining("SECRET/"));
            Assert.Single(provider.EntriesContaining("SECRET2"));
            Assert.Single(provider.EntriesContaining("SECRET3"));
            Assert.Empty(provider.EntriesContaining("SECRET4"));
            Assert.Equal(4, provider.Entries.Count);
            Assert.Equal(LogLevel.None, provider.Entries[2].Level);
        }
    }

    [Fact]
    public void Clear_RemovesEntries()
    {
        var (logger, provider, services) = Create();
        using (services)
        {
            logger.LogWarning("one");
            provider.Clear();

            Assert.Empty(provider.Entries);
            Assert.Throws<ArgumentException>(() => provider.EntriesContaining(string.Empty));
        }
    }
}
