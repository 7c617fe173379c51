using System.Net;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Duties;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Tests.Infrastructure;

namespace CaseHandling.Server.Tests.Features;

/// <summary>The administrator manages the settings of the rules at run time.</summary>
public sealed class SettingsTests
{
    [Test]
    public async Task UpdateSettings_ExtraHolidayAndPolicy_NewDutiesFollowOpenDutiesKeepTheirDueTime()
    {
        var host = await TestHost.Get("settings");
        var w = await World.Create(host);
        var learned = new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero); // Monday 09:00 Amsterdam
        var before = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, learnedAt: learned);
        Assert.That((await w.Board.Case(before.Id)).Duties.Single().DueAt, Is.EqualTo(new DateTimeOffset(2026, 3, 3, 11, 0, 0, TimeSpan.Zero)));

        // Tuesday 3 March 2026 becomes a day off by decree; step 3 gets a 3-working-day deadline.
        var updated = await (await w.Admin.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/api/admin/settings")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { extraHolidays = new[] { "2026-03-03" }, deadlinePolicy = new Dictionary<string, string> { ["ConcludeOverleg"] = "3wd" } }),
        })).Read<SettingsView>();
        Assert.That(updated.ExtraHolidays, Is.EqualTo(new[] { "2026-03-03" }));
        Assert.That(updated.DeadlinePolicy["ConcludeOverleg"], Is.EqualTo("3wd"));

        var after = await w.Register(IncidentType.Zedenmisdrijf, VictimAge.Minor, learnedAt: learned);
        Assert.That((await w.Board.Case(after.Id)).Duties.Single().DueAt, Is.EqualTo(new DateTimeOffset(2026, 3, 4, 11, 0, 0, TimeSpan.Zero)),
            "the next working day is now Wednesday");
        Assert.That((await w.Board.Case(before.Id)).Duties.Single().DueAt, Is.EqualTo(new DateTimeOffset(2026, 3, 3, 11, 0, 0, TimeSpan.Zero)),
            "an open duty keeps its due time");
        var rules = await w.Admin.GetJson<System.Text.Json.JsonElement>("/api/admin/rules");
        Assert.That(rules.GetProperty("extraHolidays").EnumerateArray().Select(e => e.GetString()), Does.Contain("2026-03-03"));
    }

    [Test]
    public async Task UpdateSettings_BadValuesOrNotAdministrator_FieldErrorsOrForbidden()
    {
        var host = await TestHost.Get("settings");
        var w = await World.Create(host);
        var bad = await w.Admin.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/api/admin/settings")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new
            {
                extendedRegimeEffectiveFrom = "soon", extraHolidays = new[] { "31-12-2026" },
                deadlinePolicy = new Dictionary<string, string> { ["Aangifte"] = "whenever", ["Nonsense"] = "1wd" },
            }),
        });
        var p = await bad.Problem(HttpStatusCode.BadRequest);
        Assert.That(p.GetProperty("errors").EnumerateObject().Select(e => e.Name),
            Is.SupersetOf(new[] { "extendedRegimeEffectiveFrom", "extraHolidays", "deadlinePolicy.Aangifte", "deadlinePolicy.Nonsense" }));
        Assert.That((await w.Board.GetAsync("/api/admin/settings")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var asBoard = await w.Board.SendAsync(new HttpRequestMessage(HttpMethod.Put, "/api/admin/settings")
            { Content = System.Net.Http.Json.JsonContent.Create(new { extraHolidays = new[] { "2026-01-02" } }) });
        Assert.That(asBoard.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }
}
