using System.Diagnostics;
using System.Net.Http.Headers;

namespace CaseHandling.Benchmarks.Faults;

/// <summary>
/// Scenario 10: requests generated from the app's OpenAPI document (CsCheck), as every role, against the app as its own
/// process: no 5xx, and a refused request changes no table. A failure prints CsCheck's seed; `--seed` replays it.
/// </summary>
public static class Fuzz
{
    public static async Task<FaultResult> RunAsync(string adminConnectionString, int requests, string? seed, TextWriter log)
    {
        await using var db = await BenchDatabase.CreateAsync(adminConnectionString);
        await using var server = await ServerProcess.StartAsync(db.ConnectionString, Rig.AppArgs("Api", null));
        using var anonymous = Rig.Client(server.Address);
        var own = await Rig.Setup(anonymous, "fuzz");
        var other = await Rig.Setup(anonymous, "fuzz-ander");
        var staffEmail = $"staff-{Guid.NewGuid():N}"[..30] + "@faults.casehandling.nl";
        await Rig.Post(anonymous, own.Admin, "/api/admin/users",
            new { email = staffEmail, displayName = "Personeel", password = Rig.Password, role = "StaffMember", institutionId = own.Institution });
        var staff = await Rig.SignIn(anonymous, staffEmail);

        var matter = new { incidentType = "Zedenmisdrijf", victim = new { kind = "Student", age = "Minor", afhankelijkheidsrelatie = false },
            accusedRole = "MetTakenBelastPersoon", boardLearnedAt = DateTimeOffset.UtcNow.AddHours(-1), facts = "Feitenrelaas" };
        var ownCase = (await Rig.Post(anonymous, own.Board, "/api/cases", matter)).GetProperty("id").GetString()!;
        var otherCase = (await Rig.Post(anonymous, other.Board, "/api/cases", matter)).GetProperty("id").GetString()!;
        _ = (await Rig.Submit(anonymous, own.Institution, "fuzz")).Code ?? throw new InvalidOperationException("the report was refused");
        var report = await Rig.Scalar<Guid>(db.ConnectionString, "SELECT id FROM reports LIMIT 1");

        HttpClient As(string? token)
        {
            var c = Rig.Client(server.Address);
            if (token is not null) c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return c;
        }
        var clients = new Dictionary<string, HttpClient>
        {
            ["anonymous"] = As(null), ["board"] = As(own.Board), ["other-board"] = As(other.Board), ["staff"] = As(staff),
            ["inspector"] = As(own.Inspector), ["handler"] = As(own.Handler), ["admin"] = As(own.Admin),
        };
        var document = await anonymous.GetStringAsync("/openapi/v1.json");
        var fuzzer = new ApiFuzzer(document, clients.Keys,
            [ownCase, otherCase, report.ToString(), own.Institution.ToString(), other.Institution.ToString(), own.InspectorId]);

        var broken = new List<string>();
        var sw = Stopwatch.StartNew();
        SortedDictionary<int, int> statuses = [];
        try
        {
            statuses = await fuzzer.RunAsync(clients, await ApiFuzzer.StateDigest(db.ConnectionString), requests, seed);
        }
        catch (Exception e)
        {
            broken.Add(e.Message.Length > 2000 ? e.Message[..2000] : e.Message);
        }
        foreach (var c in clients.Values) c.Dispose();
        var figures = $"{requests:N0} requests over {fuzzer.Operations} operations as {clients.Count} roles in {sw.Elapsed.TotalSeconds:F0} s" +
                      (seed is null ? "" : $", seed {seed}") + "; statuses " + string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value:N0}")) +
                      "; 5xx 0 unless broken; refused requests that changed the database 0 unless broken";
        return new FaultResult("fuzz", figures, broken);
    }
}
