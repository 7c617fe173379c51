using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace CaseHandling.Benchmarks.Faults;

/// <summary>
/// Scenario 9, the runbook of docs/RELIABILITY.md done for real: dump the case database and the key store (pg_dump),
/// restore both into fresh databases (pg_restore), start the app on them with the kept key-encryption key. All content
/// opens, the audit chains verify, and what was erased stays erased.
/// </summary>
public static class BackupRestore
{
    public static async Task<FaultResult> RunAsync(string adminConnectionString, int reports, int cases, TextWriter log)
    {
        await using var db = await BenchDatabase.CreateAsync(adminConnectionString);
        await using var keys = await BenchDatabase.CreateAsync(adminConnectionString, migrate: false);
        string[] Args(string keyStore) => [.. Rig.AppArgs("All", null, "--ConnectionStrings:KeyStore=" + keyStore, "--Retention:Periods:MeldpuntReport=0h")];

        var markers = new List<(string Code, string Marker)>();
        var caseMarkers = new List<(Guid Id, string Marker)>();
        Guid erased;
        var server = await ServerProcess.StartAsync(db.ConnectionString, Args(keys.ConnectionString));
        try
        {
            using var http = Rig.Client(server.Address);
            var people = await Rig.Setup(http, "backup");
            for (var i = 0; i < reports; i++)
            {
                var marker = $"b{i}-{Guid.NewGuid():N}"[..16];
                markers.Add(((await Rig.Submit(http, people.Institution, marker)).Code ?? throw new InvalidOperationException("report refused"), marker));
            }
            for (var i = 0; i < cases; i++)
            {
                var marker = $"c{i}-{Guid.NewGuid():N}"[..16];
                var c = await Rig.Post(http, people.Board, "/api/cases", new
                {
                    incidentType = "Zedenmisdrijf", victim = new { kind = "Student", age = "Minor", afhankelijkheidsrelatie = false },
                    accusedRole = "MetTakenBelastPersoon", boardLearnedAt = DateTimeOffset.UtcNow.AddHours(-1), facts = $"Feiten {marker}",
                }, HttpStatusCode.Created);
                var id = c.GetProperty("id").GetGuid();
                await Rig.Post(http, people.Board, $"/api/cases/{id}/consultation", new { inspectorId = people.InspectorId, factsGiven = $"Gedeeld {marker}" });
                caseMarkers.Add((id, marker));
            }
            // One report closed and erased (its retention period set to nothing for this run).
            var (doomedCode, _) = markers[0];
            markers.RemoveAt(0);
            erased = await Rig.Scalar<Guid>(db.ConnectionString, "SELECT id FROM reports WHERE receipt_hash = @h", ("h", CaseHandling.Domain.Reports.ReceiptCode.Hash(doomedCode)));
            await Rig.Post(http, people.Handler, $"/api/meldpunt/reports/{erased}/close", new { });
            var jobs = Rig.JobsOn(db.ConnectionString);
            if (await jobs.Wait(jobs.Retention(), TimeSpan.FromSeconds(120)) != "Succeeded") throw new InvalidOperationException("retention did not run");
        }
        finally
        {
            await server.DisposeAsync();
        }

        // The backup: both databases dumped; the key-encryption key kept apart (here: in this process).
        var dir = Path.Combine(Path.GetTempPath(), $"casehandling-backup-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var sw = Stopwatch.StartNew();
        FaultResult result;
        try
        {
            await PgTool("pg_dump", db.ConnectionString, ["--format=custom", "--no-owner", "--no-privileges", "--file", Path.Combine(dir, "cases.dump")]);
            await PgTool("pg_dump", keys.ConnectionString, ["--format=custom", "--no-owner", "--no-privileges", "--file", Path.Combine(dir, "keys.dump")]);
            var dumped = await File.ReadAllBytesAsync(Path.Combine(dir, "cases.dump"));
            var plaintextInDump = markers.Any(m => System.Text.Encoding.UTF8.GetString(dumped).Contains(m.Marker, StringComparison.Ordinal));

            // A fresh machine: empty databases, restored.
            await using var db2 = await BenchDatabase.CreateAsync(adminConnectionString, migrate: false);
            await using var keys2 = await BenchDatabase.CreateAsync(adminConnectionString, migrate: false);
            await PgTool("pg_restore", db2.ConnectionString, ["--no-owner", "--no-privileges", "--exit-on-error", Path.Combine(dir, "cases.dump")]);
            await PgTool("pg_restore", keys2.ConnectionString, ["--no-owner", "--no-privileges", "--exit-on-error", Path.Combine(dir, "keys.dump")]);
            var restoreSeconds = sw.Elapsed.TotalSeconds;

            await using var restored = await ServerProcess.StartAsync(db2.ConnectionString, Args(keys2.ConnectionString));
            using var http2 = Rig.Client(restored.Address);
            var handler = await SignInAs(http2, db2.ConnectionString, "MeldpuntHandler");
            var board = await SignInAs(http2, db2.ConnectionString, "Board");
            var (found, missing) = await Rig.CheckAcknowledged(db2.ConnectionString, http2, handler, markers.Select(m => new Acknowledged(m.Code, m.Marker)).ToList(),
                keys2.ConnectionString);
            var casesOpen = 0;
            foreach (var (id, marker) in caseMarkers)
            {
                var (status, body) = await Rig.Get(http2, board, $"/api/cases/{id}");
                if (status == HttpStatusCode.OK && body.GetRawText().Contains(marker, StringComparison.Ordinal)) casesOpen++;
            }
            var (es, erasedView) = await Rig.Get(http2, handler, $"/api/meldpunt/reports/{erased}");
            var stillErased = es == HttpStatusCode.OK && erasedView.GetProperty("erasedAt").ValueKind != JsonValueKind.Null
                              && string.IsNullOrEmpty(erasedView.GetProperty("whatHappened").GetString())
                              && await Rig.Scalar<long>(keys2.ConnectionString, "SELECT count(*) FROM data_keys WHERE subject_id = @id AND wrapped_key IS NOT NULL", ("id", erased)) == 0;
            var audit = await Rig.VerifyAudit(db2.ConnectionString);
            var entries = await Rig.Scalar<long>(db2.ConnectionString, "SELECT count(*) FROM audit_entries");

            var broken = new List<string>();
            if (plaintextInDump) broken.Add("content in plaintext in the dump");
            if (found != markers.Count) broken.Add($"{markers.Count - found} report(s) not readable after the restore: {string.Join(", ", missing)}");
            if (casesOpen != caseMarkers.Count) broken.Add($"{caseMarkers.Count - casesOpen} case(s) not readable after the restore");
            if (!stillErased) broken.Add("the erased report is readable again after the restore");
            if (audit is not null) broken.Add($"audit chain broken at {audit}");
            result = new FaultResult("backup and restore",
                $"dumped and restored the case database ({dumped.Length / 1024} KB) and the key store in {restoreSeconds:F1} s; on the fresh databases: " +
                $"reports readable {found}/{markers.Count}, cases {casesOpen}/{caseMarkers.Count}, erased report still erased: {(stillErased ? "yes" : "NO")}; " +
                $"audit {(audit is null ? $"intact ({entries} entries)" : "BROKEN")}", broken);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
        return result;
    }

    /// <summary>Signs in as the restored account of that role, with its password from before: accounts come back with the dump.</summary>
    private static async Task<string> SignInAs(HttpClient http, string cs, string role)
    {
        var email = await Rig.Scalar<string>(cs, """
            SELECT u.email FROM "AspNetUsers" u JOIN "AspNetUserRoles" ur ON ur.user_id = u.id JOIN "AspNetRoles" r ON r.id = ur.role_id
            WHERE r.name = @role LIMIT 1
            """, ("role", role));
        return await Rig.SignIn(http, email);
    }

    /// <summary>pg_dump or pg_restore from the server's own binaries when present (the same major version), else from the PATH.</summary>
    private static async Task PgTool(string tool, string cs, string[] args)
    {
        var b = new NpgsqlConnectionStringBuilder(cs);
        var bin = PgCluster.FindBin();
        var file = bin is not null && File.Exists(Path.Combine(bin, tool)) ? Path.Combine(bin, tool) : tool;
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "--host", b.Host!, "--port", b.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--username", b.Username!, "--dbname", b.Database! }.Concat(args))
            info.ArgumentList.Add(a);
        if (b.Password is not null) info.Environment["PGPASSWORD"] = b.Password;
        using var p = Process.Start(info) ?? throw new InvalidOperationException($"could not start {tool}");
        var stderr = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} failed ({p.ExitCode}): {await stderr}");
    }
}
