using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Npgsql;

namespace CaseHandling.Benchmarks.Faults;

/// <summary>One generated request: who sends it, where, and what.</summary>
public sealed record FuzzRequest(string Role, string Method, string Path, string? Body, string ContentType)
{
    public override string ToString() =>
        $"{Role} {Method} {Path} {ContentType} {(Body is null ? "(no body)" : Body.Length > 300 ? Body[..300] + $"… ({Body.Length} chars)" : Body)}";
}

/// <summary>
/// Requests generated from the app's own OpenAPI document with CsCheck (issue 13, item 10): every operation, as every role,
/// with bodies that follow the schema but with odd values (huge and odd strings, wrong types, unknown enum values,
/// impossible dates, other institutions' ids), and bodies that are not JSON at all.
/// </summary>
public sealed class ApiFuzzer
{
    private readonly JsonElement _schemas;
    private readonly List<(string Method, string Path, JsonElement Operation)> _operations = [];
    private readonly string[] _roles;
    private readonly string[] _ids;

    /// <param name="ids">Ids worth trying: one's own case and report, another institution's case, accounts, random ones.</param>
    public ApiFuzzer(string openApiJson, IEnumerable<string> roles, IEnumerable<string> ids)
    {
        var doc = JsonDocument.Parse(openApiJson).RootElement.Clone();
        _schemas = doc.TryGetProperty("components", out var c) && c.TryGetProperty("schemas", out var s) ? s : default;
        foreach (var path in doc.GetProperty("paths").EnumerateObject())
        foreach (var op in path.Value.EnumerateObject())
            if (op.Name is "get" or "post" or "put" or "delete" or "patch")
                _operations.Add((op.Name.ToUpperInvariant(), path.Name, op.Value));
        _roles = roles.ToArray();
        _ids = ids.ToArray();
    }

    public int Operations => _operations.Count;

    private static readonly string[] OddStrings =
    [
        "", " ", "null", "undefined", "0", "-1", "true", "[]", "{}", "\u0000", "\u202e", "💥🧨", "' OR 1=1 --", "<script>alert(1)</script>",
        "../../etc/passwd", "%00", "\r\n\r\nX-Injected: 1", "ÅÄÖ åäö", "\ud800", "9999-12-31T23:59:59Z", "2026-02-30", "NaN",
    ];

    private static readonly string[] OddDates =
        ["2026-02-30", "2026-13-01", "0000-00-00", "9999-12-31", "0001-01-01", "2026-11-30T25:61:00Z", "1999-07-27T23:59:59+02:00", "yesterday", "2026-11-30T00:00:00"];

    private Gen<string> Id => Gen.OneOf(Gen.Int[0, _ids.Length - 1].Select(i => _ids[i]), Gen.Guid.Select(g => g.ToString()),
        Gen.Const("00000000-0000-0000-0000-000000000000"), Gen.Const("not-a-guid"), Gen.Const(new string('1', 500)));

    private static Gen<string> OddString => Gen.Frequency(
        (4, Gen.Int[0, OddStrings.Length - 1].Select(i => OddStrings[i])),
        (2, Gen.String),
        (1, Gen.Int[1_000, 300_000].Select(n => new string('x', n))),
        (1, Gen.Char.Array[0, 50].Select(c => new string(c))));

    private static Gen<JsonNode?> AnyScalar => Gen.OneOf<JsonNode?>(
        Gen.Const<JsonNode?>(() => null), Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)), Gen.Long.Select(l => (JsonNode?)JsonValue.Create(l)),
        Gen.Double.Select(d => double.IsFinite(d) ? (JsonNode?)JsonValue.Create(d) : JsonValue.Create(0)), OddString.Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.Const<JsonNode?>(() => new JsonArray()), Gen.Const<JsonNode?>(() => new JsonObject()));

    private JsonElement Resolve(JsonElement schema)
    {
        for (var depth = 0; depth < 10 && schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var r); depth++)
            schema = _schemas.GetProperty(r.GetString()!.Split('/').Last());
        return schema;
    }

    /// <summary>A value for <paramref name="schema"/>: mostly of its type with odd content, sometimes of another type.</summary>
    private Gen<JsonNode?> Value(JsonElement schema, int depth)
    {
        schema = Resolve(schema);
        if (depth > 4 || schema.ValueKind != JsonValueKind.Object) return AnyScalar;
        if (schema.TryGetProperty("oneOf", out var oneOf) || schema.TryGetProperty("anyOf", out oneOf))
        {
            var options = oneOf.EnumerateArray().Select(o => Value(o, depth + 1)).ToArray();
            return options.Length == 0 ? AnyScalar : Gen.OneOf(options);
        }
        var type = schema.TryGetProperty("type", out var t)
            ? t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()).FirstOrDefault(x => x != "null") : t.GetString()
            : schema.TryGetProperty("properties", out _) ? "object" : null;
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        Gen<JsonNode?> typed;
        if (schema.TryGetProperty("enum", out var e))
        {
            var values = e.EnumerateArray().Select(v => v.ToString()).ToArray();
            typed = Gen.Frequency((3, Gen.Int[0, Math.Max(0, values.Length - 1)].Select(i => (JsonNode?)JsonValue.Create(values.Length == 0 ? "" : values[i]))),
                (1, Gen.OneOf(Gen.Const("Bogus"), Gen.Const(""), Gen.Const("0"), Gen.Const("zedenmisdrijf")).Select(s => (JsonNode?)JsonValue.Create(s))),
                (1, Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i))));
        }
        else typed = (type, format) switch
        {
            ("string", "uuid") => Id.Select(s => (JsonNode?)JsonValue.Create(s)),
            ("string", "date" or "date-time") => Gen.Frequency(
                (3, Gen.Int[0, OddDates.Length - 1].Select(i => (JsonNode?)JsonValue.Create(OddDates[i]))),
                (1, Gen.DateTimeOffset.Select(d => (JsonNode?)JsonValue.Create(d.ToString("O"))))),
            ("string", _) => OddString.Select(s => (JsonNode?)JsonValue.Create(s)),
            ("integer" or "number", _) => Gen.OneOf(Gen.Long, Gen.Const(long.MaxValue), Gen.Const(-1L), Gen.Const(0L)).Select(l => (JsonNode?)JsonValue.Create(l)),
            ("boolean", _) => Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
            ("array", _) => Value(schema.TryGetProperty("items", out var items) ? items : default, depth + 1).Array[0, 6]
                .Select(a => (JsonNode?)new JsonArray(a.Select(x => x?.DeepClone()).ToArray())),
            ("object", _) => Object(schema, depth),
            _ => AnyScalar,
        };
        // One value in eight is of some other type altogether.
        return Gen.Frequency((7, typed), (1, AnyScalar));
    }

    private Gen<JsonNode?> Object(JsonElement schema, int depth)
    {
        var props = schema.TryGetProperty("properties", out var p) ? p.EnumerateObject().Select(x => (x.Name, Schema: x.Value)).ToArray() : [];
        if (props.Length == 0) return Gen.Const<JsonNode?>(() => new JsonObject());
        var gens = props.Select(x => Gen.Frequency((5, Value(x.Schema, depth + 1).Select(v => (x.Name, Keep: true, v))), (1, Gen.Const((x.Name, Keep: false, (JsonNode?)null))))).ToArray();
        return Gen.Select(gens.Aggregate(Gen.Const(Enumerable.Empty<(string, bool, JsonNode?)>()),
                (acc, g) => acc.SelectMany(list => g.Select(item => list.Append(item)))), Gen.Bool,
            (fields, extra) =>
            {
                var o = new JsonObject();
                foreach (var (name, keep, value) in fields)
                    if (keep) o[name] = value?.DeepClone();
                if (extra) o["unknownField"] = "x";
                return (JsonNode?)o;
            });
    }

    private static readonly string[] Malformed =
    [
        "{", "}", "[", "{\"a\":", "{\"a\" 1}", "nul", "\"unterminated", "{'single': 'quotes'}", "{\"a\":1,}", "\u0000\u0001\u0002",
        "{\"a\":1e999999}", "{\"a\":-0.0000000000000000000000000000001e-400}", "﻿{}", "[]", "null", "42", "\"text\"", "true",
    ];

    private Gen<(string? Body, string ContentType)> Body(JsonElement operation)
    {
        JsonElement schema = default;
        var hasSchema = operation.TryGetProperty("requestBody", out var rb) && rb.TryGetProperty("content", out var content)
            && content.TryGetProperty("application/json", out var json) && json.TryGetProperty("schema", out schema);
        var structured = hasSchema
            ? Value(schema, 0).Select(v => ((string?)(v?.ToJsonString() ?? "null"), "application/json"))
            : Gen.Const(((string?)"{}", "application/json"));
        return Gen.Frequency(
            (6, structured),
            (2, Gen.Int[0, Malformed.Length - 1].Select(i => ((string?)Malformed[i], "application/json"))),
            (1, Gen.Int[100, 5_000].Select(n => ((string?)(new string('[', n) + new string(']', n)), "application/json"))),
            (1, Gen.Const(((string?)null, "application/json"))),
            (1, structured.Select(b => (b.Item1, "text/plain"))));
    }

    private Gen<string> Fill(string path) =>
        path.Split('/').Select(segment => segment.StartsWith('{') ? Id : Gen.Const(segment))
            .Aggregate(Gen.Const(""), (acc, g) => acc.SelectMany(prefix => g.Select(s => prefix.Length == 0 && s.Length == 0 ? "" : prefix + "/" + Uri.EscapeDataString(s))))
            .Select(p => p.Replace("//", "/"));

    /// <summary>Any request against any operation, as any role.</summary>
    public Gen<FuzzRequest> Requests =>
        Gen.Int[0, _operations.Count - 1].SelectMany(i =>
        {
            var (method, path, op) = _operations[i];
            var query = op.TryGetProperty("parameters", out var ps)
                ? ps.EnumerateArray().Where(x => x.GetProperty("in").GetString() == "query").Select(x => x.GetProperty("name").GetString()!).ToArray()
                : [];
            var queryGen = query.Length == 0 ? Gen.Const("") : Gen.Select(Gen.Int[0, query.Length - 1], OddString, (q, v) => $"?{query[q]}={Uri.EscapeDataString(v.Length > 2000 ? v[..2000] : v)}");
            return Gen.Select(Gen.Int[0, _roles.Length - 1], Fill(path), queryGen, method is "GET" or "DELETE" ? Gen.Const(((string?)null, "application/json")) : Body(op),
                (r, p, q, b) => new FuzzRequest(_roles[r], method, p + q, b.Item1, b.Item2));
        });

    public static HttpRequestMessage ToHttp(FuzzRequest r)
    {
        var m = new HttpRequestMessage(new HttpMethod(r.Method), r.Path);
        if (r.Body is not null) m.Content = new StringContent(r.Body, Encoding.UTF8, r.ContentType);
        return m;
    }

    /// <summary>
    /// What a refused request must not change: every table of the case database but the audit trail (a refusal may be
    /// recorded) and the accounts (a failed sign-in counts towards the lockout), as row counts and row versions.
    /// </summary>
    public static async Task<Func<Task<string>>> StateDigest(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        var tables = new List<string>();
        await using (var cmd = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' " +
            "AND table_name NOT IN ('audit_entries', '__EFMigrationsHistory') AND table_name NOT LIKE 'asp_net_%' ORDER BY table_name", conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        var sql = "SELECT " + string.Join(" || '|' || ", tables.Select(t =>
            $"(SELECT '{t}:' || count(*) || ':' || coalesce(sum(xmin::text::bigint), 0) FROM \"{t}\")"));
        return async () =>
        {
            await using var c = new NpgsqlConnection(connectionString);
            await c.OpenAsync();
            await using var q = new NpgsqlCommand(sql, c);
            return (string)(await q.ExecuteScalarAsync())!;
        };
    }

    /// <summary>
    /// Sends <paramref name="count"/> generated requests one after the other; fails on a 5xx, or on a refusal (4xx) after
    /// which the database differs. The status counts, by status.
    /// </summary>
    public async Task<SortedDictionary<int, int>> RunAsync(IReadOnlyDictionary<string, HttpClient> clients, Func<Task<string>> digest, long count, string? seed)
    {
        var statuses = new SortedDictionary<int, int>();
        var before = await digest();
        await Requests.SampleAsync(async request =>
        {
            using var message = ToHttp(request);
            using var response = await clients[request.Role].SendAsync(message);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status >= 500)
                throw new InvalidOperationException($"{status} for {request}: {await response.Content.ReadAsStringAsync()}");
            var after = await digest();
            if (status >= 400 && after != before)
                throw new InvalidOperationException($"refused with {status} but the database changed: {request}");
            before = after;
        }, seed: seed, iter: count, threads: 1, print: r => r.ToString());
        return statuses;
    }
}
