using System.Collections.Concurrent;
using System.Globalization;
using Mcu.Sdk.Internal;
using Mcu.Sdk.Storage;

namespace Mcu.Sdk.Channels.Telegram.Intake;

/// <summary>
/// Remembers which chats cannot be written to (the citizen blocked the bot, the bot was kicked), durably in the
/// <see cref="ICheckpointStore"/> under <c>telegram:unreachable:{chatId}</c>, with an in-process cache in front.
/// </summary>
/// <remarks>
/// A chat becomes reachable again when the citizen writes to the bot or unblocks it (<c>my_chat_member</c>). Thread-safe.
/// </remarks>
internal sealed class TelegramRecipients
{
    private const string Blocked = "blocked";
    private const string Reachable = "reachable";
    private const int MaxCached = 100_000;
    private readonly ICheckpointStore _store;
    private readonly ConcurrentDictionary<long, bool> _unreachable = new();

    public TelegramRecipients(ICheckpointStore store) => _store = Throw.IfNull(store);

    public static string KeyOf(long chatId) => string.Create(CultureInfo.InvariantCulture, $"telegram:unreachable:{chatId}");

    public async ValueTask<bool> IsUnreachableAsync(long chatId, CancellationToken cancellationToken)
    {
        if (_unreachable.TryGetValue(chatId, out var cached))
        {
            return cached;
        }

        var stored = await _store.GetCheckpointAsync(KeyOf(chatId), cancellationToken).ConfigureAwait(false);
        var unreachable = string.Equals(stored, Blocked, StringComparison.Ordinal);
        Cache(chatId, unreachable);
        return unreachable;
    }

    public async ValueTask MarkUnreachableAsync(long chatId, CancellationToken cancellationToken)
    {
        await _store.SetCheckpointAsync(KeyOf(chatId), Blocked, cancellationToken).ConfigureAwait(false);
        Cache(chatId, true);
    }

    public async ValueTask MarkReachableAsync(long chatId, CancellationToken cancellationToken)
    {
        if (await IsUnreachableAsync(chatId, cancellationToken).ConfigureAwait(false))
        {
            await _store.SetCheckpointAsync(KeyOf(chatId), Reachable, cancellationToken).ConfigureAwait(false);
            Cache(chatId, false);
        }
    }

    private void Cache(long chatId, bool unreachable)
    {
        if (_unreachable.Count >= MaxCached)
        {
            _unreachable.Clear();
        }

        _unreachable[chatId] = unreachable;
    }
}
