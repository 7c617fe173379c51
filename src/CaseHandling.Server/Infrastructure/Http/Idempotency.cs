using System.Buffers.Text;
using System.Data;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CaseHandling.Data;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Infrastructure.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace CaseHandling.Server.Infrastructure.Http;

/// <summary>
/// An Idempotency-Key as the server keeps it (draft-ietf-httpapi-idempotency-key-header): a hash to find the request by,
/// and a key derived from it that seals the answer and fingerprints the request. The key itself is never stored, so the
/// stored answer (a receipt code, say) can be read only by whoever holds it. Keys are scoped to the caller: the same key
/// from another account is another request.
/// </summary>
public sealed class IdempotencyKey
{
    public const string Header = "Idempotency-Key";
    public const int MinLength = 16, MaxLength = 255;
    private readonly byte[] _secret;

    private IdempotencyKey(byte[] keyHash, byte[] secret)
    {
        KeyHash = keyHash;
        _secret = secret;
    }

    public byte[] KeyHash { get; }

    /// <summary>A fresh key for a form: 128 random bits, URL-safe.</summary>
    public static string NewToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>16 to 255 visible ASCII characters (a UUID is fine), so that a key cannot be guessed to read a stored answer.</summary>
    public static IdempotencyKey? Parse(string? value, string scope)
    {
        if (value is null || value.Length is < MinLength or > MaxLength || value.Any(c => c is < '!' or > '~')) return null;
        var ikm = Encoding.UTF8.GetBytes(value);
        var salt = Encoding.UTF8.GetBytes(scope);
        var lookup = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 32, salt, "casehandling idempotency lookup"u8.ToArray());
        var secret = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 32, salt, "casehandling idempotency answer"u8.ToArray());
        return new IdempotencyKey(lookup, secret);
    }

    public byte[] Fingerprint(string method, string target, ReadOnlySpan<byte> body)
    {
        using var h = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _secret);
        h.AppendData(Encoding.UTF8.GetBytes(method + " " + target + "\n"));
        h.AppendData(body);
        return h.GetHashAndReset();
    }

    public byte[] Seal(byte[] plain)
    {
        var sealedBytes = new byte[12 + 16 + plain.Length];
        RandomNumberGenerator.Fill(sealedBytes.AsSpan(0, 12));
        using var gcm = new AesGcm(_secret, 16);
        gcm.Encrypt(sealedBytes.AsSpan(0, 12), plain, sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16));
        return sealedBytes;
    }

    public byte[] Open(byte[] sealedBytes)
    {
        var plain = new byte[sealedBytes.Length - 28];
        using var gcm = new AesGcm(_secret, 16);
        gcm.Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16), plain);
        return plain;
    }
}

/// <summary>
/// The request's key, for the unit of work: its first commit inserts the key's row in the request's transaction
/// (<see cref="IdempotencyStore.BeginAsync"/>), and the answer is added to that row before the transaction commits, so
/// the change, the key and the answer are kept or lost together. Two requests with one key racing: the second's insert
/// waits for the first's transaction, hits the row's primary key and is rolled back whole (<see cref="LostToTwin"/>),
/// and the twin's answer is replayed.
/// </summary>
public sealed class IdempotencyScope
{
    private IdempotencyKey? _key;
    private byte[]? _fingerprint;

    public bool Claimed { get; private set; }
    public bool LostToTwin { get; private set; }

    public void Begin(IdempotencyKey key, byte[] fingerprint) => (_key, _fingerprint) = (key, fingerprint);

    /// <summary>The row to insert with this commit, once per request.</summary>
    public IdempotentRequest? Claim(DateTimeOffset now) =>
        _key is null || Claimed ? null : new IdempotentRequest { KeyHash = _key.KeyHash, RequestHash = _fingerprint!, CreatedAt = now };

    public void Committed(bool claimed) => Claimed |= claimed;

    /// <summary>True when a failed save failed on this request's own key: a twin request committed first.</summary>
    public bool IsTwin(Exception e)
    {
        var p = e as PostgresException ?? e.InnerException as PostgresException;
        if (_key is null || Claimed || p is not { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "pk_idempotent_requests" }) return false;
        LostToTwin = true;
        return true;
    }
}

/// <summary>An answer as kept: what a retry gets back.</summary>
public sealed record StoredAnswer(int Status, string? ContentType, string? Location, string? ETag, byte[] Body);

/// <summary>The stored requests: finding one, adding its answer, waiting for a twin's. Kept for <see cref="Window"/>.</summary>
public sealed class IdempotencyStore(CaseHandlingDbContext db, TimeProvider time)
{
    /// <summary>How long a key is remembered; the retention job deletes older rows.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public async Task<IdempotentRequest?> FindAsync(IdempotencyKey key, CancellationToken ct)
    {
        var row = await db.IdempotentRequests.AsNoTracking().FirstOrDefaultAsync(r => r.KeyHash == key.KeyHash, ct);
        if (row is null || row.CreatedAt >= time.GetUtcNow() - Window) return row;
        // Expired: forget it, so the key may be used again.
        await db.IdempotentRequests.Where(r => r.KeyHash == key.KeyHash).ExecuteDeleteAsync(ct);
        return null;
    }

    /// <summary>
    /// The request's transaction: the command's commits (<see cref="Persistence.UnitOfWork"/>) join it, and the answer is
    /// saved in it. Why: with the answer saved after the change's own commit, a crash between the two left the key
    /// claimed without an answer, and every retry got "in progress" for the key's whole window (the fault harness's
    /// retries scenario found 16 of 61 keys so). Read committed, as every other transaction here.
    /// </summary>
    public Task<IDbContextTransaction> BeginAsync(CancellationToken ct) => db.Database.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);

    /// <summary>Adds the answer to the row the command's commit inserted, or inserts both when nothing was committed (a sign-in, say).</summary>
    public async Task SaveAsync(IdempotencyKey key, byte[] fingerprint, bool claimed, StoredAnswer answer, CancellationToken ct)
    {
        var sealedAnswer = key.Seal(JsonSerializer.SerializeToUtf8Bytes(answer));
        if (claimed)
            await db.IdempotentRequests.Where(r => r.KeyHash == key.KeyHash)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, answer.Status).SetProperty(r => r.Response, sealedAnswer), ct);
        else
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"INSERT INTO idempotent_requests (key_hash, request_hash, created_at, status, response) VALUES ({key.KeyHash}, {fingerprint}, {time.GetUtcNow()}, {answer.Status}, {sealedAnswer}) ON CONFLICT DO NOTHING", ct);
    }

    /// <summary>The twin's row once it has its answer, or as it is after <paramref name="patience"/>.</summary>
    public async Task<IdempotentRequest?> WaitForAnswerAsync(IdempotencyKey key, TimeSpan patience, CancellationToken ct)
    {
        var until = DateTime.UtcNow + patience;
        while (true)
        {
            var row = await FindAsync(key, ct);
            if (row?.Status is not null || DateTime.UtcNow >= until) return row;
            await Task.Delay(50, ct);
        }
    }

    public static StoredAnswer? Open(IdempotencyKey key, IdempotentRequest row) =>
        row.Response is null ? null : JsonSerializer.Deserialize<StoredAnswer>(key.Open(row.Response));
}

/// <summary>
/// Every command endpoint of the API honours an Idempotency-Key header: the first request is carried out and its answer
/// kept; a repeat (a retry after a lost connection, a proxy's retry) gets that answer back, marked Idempotent-Replayed,
/// and nothing is done twice. The same key with another request is 422; a repeat while the first is still running is
/// 409 with Retry-After. Answers that are not a success are not kept: nothing was changed, so a retry simply runs again.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    private static readonly TimeSpan TwinPatience = TimeSpan.FromSeconds(5);

    public async Task InvokeAsync(HttpContext ctx, IdempotencyScope scope, IdempotencyStore store)
    {
        if (!ctx.Request.Headers.TryGetValue(IdempotencyKey.Header, out var header) || !PortalPaths.IsApi(ctx.Request.Path)
            || !(HttpMethods.IsPost(ctx.Request.Method) || HttpMethods.IsPut(ctx.Request.Method) || HttpMethods.IsPatch(ctx.Request.Method) || HttpMethods.IsDelete(ctx.Request.Method)))
        {
            await next(ctx);
            return;
        }
        var ct = ctx.RequestAborted;
        var key = IdempotencyKey.Parse(header.ToString(), ctx.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "");
        if (key is null)
        {
            const string Rule = "Use 16 to 255 visible ASCII characters, for example a UUID.";
            await Problem(ctx, 400, "invalid_idempotency_key", "The Idempotency-Key header is not valid.", Rule,
                new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [IdempotencyKey.Header] = [Rule] } });
            return;
        }

        ctx.Request.EnableBuffering();
        using var body = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(body, ct);
        ctx.Request.Body.Position = 0;
        var fingerprint = key.Fingerprint(ctx.Request.Method, ctx.Request.Path + ctx.Request.QueryString, body.GetBuffer().AsSpan(0, (int)body.Length));

        if (await store.FindAsync(key, ct) is { } earlier)
        {
            await Replay(ctx, key, earlier, fingerprint);
            return;
        }

        scope.Begin(key, fingerprint);
        var original = ctx.Response.Body;
        using var buffer = new MemoryStream();
        ctx.Response.Body = buffer;
        // One transaction for the change, the key and the answer, committed before a byte of the answer leaves: a crash
        // before the commit leaves nothing (the retry runs anew), after it the retry gets the answer. An exception rolls
        // it back as the transaction is disposed.
        await using var tx = await store.BeginAsync(ct);
        try
        {
            await next(ctx);
        }
        finally
        {
            ctx.Response.Body = original;
        }

        if (scope.LostToTwin)
        {
            // The twin committed first: its answer is this request's answer too.
            await tx.RollbackAsync(CancellationToken.None);
            var twin = await store.WaitForAnswerAsync(key, TwinPatience, CancellationToken.None);
            ctx.Response.Clear();
            if (twin is not null) await Replay(ctx, key, twin, fingerprint);
            else await InProgress(ctx);
            return;
        }
        var status = ctx.Response.StatusCode;
        if (scope.Claimed || status is >= 200 and < 300)
            // Not on the request's token: a client that hangs up must still find the answer on its retry.
            await store.SaveAsync(key, fingerprint, scope.Claimed, new StoredAnswer(status, ctx.Response.ContentType,
                ctx.Response.Headers.Location.ToString() is { Length: > 0 } l ? l : null,
                ctx.Response.Headers.ETag.ToString() is { Length: > 0 } e ? e : null, buffer.ToArray()), CancellationToken.None);
        // Committed also when nothing was claimed: what a refused request did write (a failed sign-in's count) stays.
        await tx.CommitAsync(CancellationToken.None);

        // A twin that changed the same case first makes this one's step stale (409) rather than a clash on the key: if
        // the key has an answer now, that answer is this request's too.
        if (!scope.Claimed && status == StatusCodes.Status409Conflict && await store.FindAsync(key, CancellationToken.None) is { Status: not null } done)
        {
            ctx.Response.Clear();
            await Replay(ctx, key, done, fingerprint);
            return;
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, ct);
    }

    private static async Task Replay(HttpContext ctx, IdempotencyKey key, IdempotentRequest row, byte[] fingerprint)
    {
        if (!CryptographicOperations.FixedTimeEquals(row.RequestHash, fingerprint))
        {
            await Problem(ctx, 422, "idempotency_key_reused", "This Idempotency-Key was used for another request.",
                "Use a new key for a new request; repeat a request only with exactly the same method, path and body.");
            return;
        }
        if (IdempotencyStore.Open(key, row) is not { } answer)
        {
            await InProgress(ctx);
            return;
        }
        ctx.Response.StatusCode = answer.Status;
        if (answer.ContentType is not null) ctx.Response.ContentType = answer.ContentType;
        if (answer.Location is not null) ctx.Response.Headers.Location = answer.Location;
        if (answer.ETag is not null) ctx.Response.Headers.ETag = answer.ETag;
        ctx.Response.Headers["Idempotent-Replayed"] = "true";
        await ctx.Response.Body.WriteAsync(answer.Body, ctx.RequestAborted);
    }

    private static Task InProgress(HttpContext ctx)
    {
        ctx.Response.Headers.RetryAfter = "1";
        return Problem(ctx, 409, "request_in_progress", "A request with this Idempotency-Key is being carried out.",
            "Repeat the request in a moment to get its answer.");
    }

    private static Task Problem(HttpContext ctx, int status, string code, string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title, type: "urn:casehandling:error:" + code, extensions: extensions).ExecuteAsync(ctx);
}

/// <summary>
/// The same promise for a form. The form's address carries a fresh token (the page redirects to it), so a double click, a
/// reload of the answer, and going back and sending the form again all send that token again, and get the first answer
/// instead of filing a second report. No cookie is needed (the reporter's pages set none). The answer is replayed only to
/// a request with the same content as the first and only for <see cref="ReplayWindow"/>: whoever finds the token alone (in
/// a proxy's log, in the browser's history) cannot get the receipt code with it.
/// </summary>
public sealed class FormOnce(IdempotencyScope scope, IdempotencyStore store, TimeProvider time)
{
    private static readonly TimeSpan TwinPatience = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan ReplayWindow = TimeSpan.FromHours(1);

    /// <summary>
    /// What came of it: the result (the first one when <see cref="Replayed"/>); or no result, because the first is still
    /// running (<see cref="SentBefore"/> false) or because this token was used before for other content or too long ago.
    /// </summary>
    public sealed record Outcome<T>(Result<T>? Result, bool Replayed, bool SentBefore);

    public async Task<Outcome<T>> RunAsync<T>(string? token, string form, byte[] content, Func<Task<Result<T>>> send, CancellationToken ct)
    {
        var key = IdempotencyKey.Parse(token, form);
        if (key is null) return new(await send(), false, false);
        var fingerprint = key.Fingerprint("FORM", form, content);
        if (await store.FindAsync(key, ct) is not null) return await Earlier<T>(key, fingerprint, ct);

        scope.Begin(key, fingerprint);
        // The report, the token's row and the answer in one transaction, as for the API (IdempotencyMiddleware).
        Result<T> result;
        await using (var tx = await store.BeginAsync(ct))
        {
            result = await send();
            if (scope.LostToTwin) await tx.RollbackAsync(CancellationToken.None);
            else
            {
                if (result.IsSuccess)
                    await store.SaveAsync(key, fingerprint, scope.Claimed,
                        new StoredAnswer(200, "application/json", null, null, JsonSerializer.SerializeToUtf8Bytes(result.Value)), CancellationToken.None);
                await tx.CommitAsync(CancellationToken.None);
            }
        }
        if (scope.LostToTwin) return await Earlier<T>(key, fingerprint, ct);
        return new(result, false, false);
    }

    private async Task<Outcome<T>> Earlier<T>(IdempotencyKey key, byte[] fingerprint, CancellationToken ct)
    {
        var row = await store.WaitForAnswerAsync(key, TwinPatience, ct);
        if (row is null) return new(null, false, false);
        if (!CryptographicOperations.FixedTimeEquals(row.RequestHash, fingerprint) || row.CreatedAt < time.GetUtcNow() - ReplayWindow)
            return new(null, false, true);
        return IdempotencyStore.Open(key, row) is { } answer
            ? new(Result<T>.Success(JsonSerializer.Deserialize<T>(answer.Body)!), true, false)
            : new(null, false, false);
    }
}
