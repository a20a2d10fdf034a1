using System.Globalization;
using Mcu.Sdk.Storage;

namespace Mcu.Sdk.Channels.Vk.Replies;

/// <summary>
/// Remembers citizens who cannot receive messages from the community (VK errors 900–902, the <c>message_deny</c> event), until
/// a <c>message_allow</c> event or a new message of theirs: kept durably in the <see cref="ICheckpointStore"/> under
/// <c>vk:unreachable:{peerId}</c> (the value is the error code; an empty value means reachable again).
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class VkReachability(ICheckpointStore store)
{
    private readonly ICheckpointStore _store = store ?? throw new ArgumentNullException(nameof(store));

    /// <summary>Gets the checkpoint key of a peer.</summary>
    /// <param name="peerId">The peer.</param>
    /// <returns>The key.</returns>
    public static string KeyOf(long peerId) => "vk:unreachable:" + peerId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Gets the error code a peer was marked unreachable with, or <see langword="null"/> when the peer is reachable.</summary>
    /// <param name="peerId">The peer.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>The code, or <see langword="null"/>.</returns>
    public async ValueTask<int?> GetUnreachableCodeAsync(long peerId, CancellationToken cancellationToken)
    {
        var value = await _store.GetCheckpointAsync(KeyOf(peerId), cancellationToken).ConfigureAwait(false);
        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var code) ? code : null;
    }

    /// <summary>Marks a peer unreachable.</summary>
    /// <param name="peerId">The peer.</param>
    /// <param name="errorCode">The VK error code (900, 901, 902).</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>A task that completes when the mark is stored.</returns>
    public ValueTask MarkUnreachableAsync(long peerId, int errorCode, CancellationToken cancellationToken) =>
        _store.SetCheckpointAsync(KeyOf(peerId), errorCode.ToString(CultureInfo.InvariantCulture), cancellationToken);

    /// <summary>Marks a peer reachable again (only writes when it was marked).</summary>
    /// <param name="peerId">The peer.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns><see langword="true"/> when a mark was removed.</returns>
    public async ValueTask<bool> MarkReachableAsync(long peerId, CancellationToken cancellationToken)
    {
        if (await GetUnreachableCodeAsync(peerId, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        await _store.SetCheckpointAsync(KeyOf(peerId), string.Empty, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
