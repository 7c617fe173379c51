namespace CaseHandling.Server.Infrastructure.Encryption;

/// <summary>
/// The data keys one unit of work has fetched ahead (<see cref="DataKeys.PreloadAsync"/>), so that reading its rows
/// opens sealed content from memory. EF materializes rows synchronously: a key fetched there would be synchronous
/// key-store I/O on a request thread. With <see cref="EncryptionOptions.RequirePreloadedKeys"/> (tests, Development)
/// opening content whose key was not preloaded in the current scope throws, so no handler can slip back into it.
/// </summary>
public static class KeyScope
{
    private static readonly AsyncLocal<Dictionary<Guid, (DataKeys.State State, byte[]? Key)>?> Current = new();

    /// <summary>A scope for one message or job; nested scopes start empty and restore the outer one when disposed.</summary>
    public static IDisposable Begin()
    {
        var outer = Current.Value;
        Current.Value = new Dictionary<Guid, (DataKeys.State, byte[]?)>();
        return new Restore(outer);
    }

    internal static void Add(Guid subject, DataKeys.State state, byte[]? key)
    {
        if (Current.Value is not { } keys) return;
        lock (keys) keys[subject] = (state, key);
    }

    internal static bool TryGet(Guid subject, out (DataKeys.State State, byte[]? Key) found)
    {
        found = default;
        if (Current.Value is not { } keys) return false;
        lock (keys) return keys.TryGetValue(subject, out found);
    }

    private sealed class Restore(Dictionary<Guid, (DataKeys.State, byte[]?)>? outer) : IDisposable
    {
        public void Dispose() => Current.Value = outer;
    }
}
