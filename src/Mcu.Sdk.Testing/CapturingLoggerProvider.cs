using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Mcu.Sdk.Testing;

/// <summary>One captured log entry (or scope).</summary>
/// <param name="Category">The logger category.</param>
/// <param name="Level">The level; <see cref="LogLevel.None"/> for a scope.</param>
/// <param name="EventId">The event id.</param>
/// <param name="Message">The formatted message, or the scope's text.</param>
/// <param name="Exception">The exception, if any.</param>
/// <param name="State">The structured values (message template arguments, scope values).</param>
public sealed record CapturedLogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception, IReadOnlyList<KeyValuePair<string, object?>> State)
{
    /// <summary>Tells whether the entry shows a text anywhere: category, message, structured values, or the exception (its <see cref="Exception.ToString"/>, which includes inner exceptions).</summary>
    /// <param name="text">The text to look for (ordinal comparison).</param>
    /// <returns><see langword="true"/> when found.</returns>
    /// <exception cref="ArgumentException"><paramref name="text"/> is empty.</exception>
    public bool Contains(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        return Category.Contains(text, StringComparison.Ordinal)
            || Message.Contains(text, StringComparison.Ordinal)
            || (Exception?.ToString().Contains(text, StringComparison.Ordinal) ?? false)
            || State.Any(pair => pair.Key.Contains(text, StringComparison.Ordinal)
                || (Convert.ToString(pair.Value, CultureInfo.InvariantCulture)?.Contains(text, StringComparison.Ordinal) ?? false));
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Level} {Category}[{EventId.Id}]: {Message}";
}

/// <summary>
/// A logger provider that keeps every entry and every scope of every level, to assert what an adapter logs; in particular
/// that secrets (tokens, webhook secrets) never appear.
/// </summary>
/// <remarks>Thread-safe. Register it with <c>services.AddLogging(b =&gt; b.SetMinimumLevel(LogLevel.Trace).AddProvider(provider))</c>.</remarks>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLogEntry> _entries = new();

    /// <summary>Gets the entries captured so far, in order.</summary>
    public IReadOnlyList<CapturedLogEntry> Entries => _entries.ToArray();

    /// <summary>Gets the entries that show a text anywhere (see <see cref="CapturedLogEntry.Contains"/>).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The matching entries.</returns>
    /// <exception cref="ArgumentException"><paramref name="text"/> is empty.</exception>
    public IReadOnlyList<CapturedLogEntry> EntriesContaining(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        return _entries.Where(entry => entry.Contains(text)).ToArray();
    }

    /// <summary>Forgets the entries captured so far.</summary>
    public void Clear() => _entries.Clear();

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName ?? string.Empty);

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private static KeyValuePair<string, object?>[] ValuesOf(object? state) =>
        state is IEnumerable<KeyValuePair<string, object?>> values ? values.ToArray() : [];

    private sealed class CapturingLogger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable BeginScope<TState>(TState state)
            where TState : notnull
        {
            owner._entries.Enqueue(new CapturedLogEntry(category, LogLevel.None, default, Convert.ToString(state, CultureInfo.InvariantCulture) ?? string.Empty, null, ValuesOf(state)));
            return NullScope.Instance;
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            owner._entries.Enqueue(new CapturedLogEntry(category, logLevel, eventId, formatter(state, exception) ?? string.Empty, exception, ValuesOf(state)));
        }
    }

    private sealed class NullScope : IDisposable
    {
        public static readonly NullScope Instance = new();

        public void Dispose()
        {
        }
    }
}
