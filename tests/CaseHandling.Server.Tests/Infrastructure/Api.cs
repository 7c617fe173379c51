using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using CaseHandling.Domain.Cases;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Features.Cases;

namespace CaseHandling.Server.Tests.Infrastructure;

/// <summary>HTTP helpers: JSON as the API speaks it (camelCase, enums as strings).</summary>
public static class Api
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static async Task<HttpResponseMessage> Post(this HttpClient c, string url, object body, string? ifMatch = null)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body, body.GetType(), options: Json) };
        if (ifMatch is not null) req.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await c.SendAsync(req);
    }

    public static async Task<HttpResponseMessage> Put(this HttpClient c, string url, object body)
    {
        using var req = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(body, body.GetType(), options: Json) };
        return await c.SendAsync(req);
    }

    public static async Task<T> Read<T>(this HttpResponseMessage r, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await r.Content.ReadAsStringAsync();
        Assert.That(r.StatusCode, Is.EqualTo(expected), text);
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    public static async Task<JsonElement> Problem(this HttpResponseMessage r, HttpStatusCode expected)
    {
        var text = await r.Content.ReadAsStringAsync();
        Assert.That(r.StatusCode, Is.EqualTo(expected), text);
        Assert.That(r.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), text);
        return JsonDocument.Parse(text).RootElement;
    }

    public static async Task<T> GetJson<T>(this HttpClient c, string url) => await (await c.GetAsync(url)).Read<T>();

    public static async Task<CaseDetail> Case(this HttpClient c, Guid id) => await c.GetJson<CaseDetail>($"/api/cases/{id}");
}

/// <summary>
/// An institution with a board and a staff member, an inspector, and a second institution's board,
/// each signed in with a bearer token. Every test makes its own, so tests never see each other's data.
/// </summary>
public sealed class World
{
    public required TestHost Host { get; init; }
    public required Guid InstitutionId { get; init; }
    public required HttpClient Admin { get; init; }
    public required HttpClient Board { get; init; }
    public required HttpClient Staff { get; init; }
    public required HttpClient Inspector { get; init; }
    public required string InspectorId { get; init; }
    public required string InspectorEmail { get; init; }
    public required HttpClient OtherBoard { get; init; }
    public required HttpClient OtherStaff { get; init; }
    public required HttpClient OtherInspector { get; init; }
    public required HttpClient Handler { get; init; }
    /// <summary>The meldpunt handler's sign-in address, for the pages.</summary>
    public string HandlerEmail { get; init; } = "";
    public HttpClient Anonymous => Host.CreateClient();
    /// <summary>The board's sign-in address (its password is <see cref="Password"/>), for a session of another kind (a cookie).</summary>
    public string BoardSignIn { get; init; } = "";

    public const string Password = "Test-wachtwoord-2026";
    public const string BoardEmail = "bestuur@example.org";

    public static async Task<World> Create(TestHost host, Sector sector = Sector.Ho)
    {
        var admin = await SignIn(host, TestHost.AdminEmail, TestHost.AdminPassword);
        var tag = Guid.NewGuid().ToString("N")[..10];
        var inst = await Institution(admin, $"Instelling {tag}", sector);
        var other = await Institution(admin, $"Andere instelling {tag}", sector);

        async Task<(HttpClient Client, string Id, string Email)> User(string who, StaffRole role, Guid? institution)
        {
            var email = $"{who}-{tag}@test.casehandling.nl";
            var user = await (await admin.Post("/api/admin/users", new CreateUser(email, $"{who} {tag}", Password, role, institution)))
                .Read<UserView>(HttpStatusCode.Created);
            return (await SignIn(host, email, Password), user.Id, email);
        }

        var inspector = await User("inspecteur", StaffRole.Vertrouwensinspecteur, null);
        var board = await User("bestuur", StaffRole.Board, inst.Id);
        var handler = await User("meldpunt", StaffRole.MeldpuntHandler, null);
        return new World
        {
            Host = host,
            InstitutionId = inst.Id,
            Admin = admin,
            Board = board.Client,
            BoardSignIn = board.Email,
            Staff = (await User("personeel", StaffRole.StaffMember, inst.Id)).Client,
            Inspector = inspector.Client,
            InspectorId = inspector.Id,
            InspectorEmail = inspector.Email,
            OtherBoard = (await User("ander-bestuur", StaffRole.Board, other.Id)).Client,
            OtherStaff = (await User("ander-personeel", StaffRole.StaffMember, other.Id)).Client,
            OtherInspector = (await User("andere-inspecteur", StaffRole.Vertrouwensinspecteur, null)).Client,
            Handler = handler.Client,
            HandlerEmail = handler.Email,
        };
    }

    /// <summary>Another account, signed in now (e.g. after a test's clock moved past the first accounts' tokens).</summary>
    public static async Task<HttpClient> NewUser(TestHost host, HttpClient admin, StaffRole role, Guid? institution)
    {
        var email = $"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}"[..30] + "@test.casehandling.nl";
        await (await admin.Post("/api/admin/users", new CreateUser(email, "Nieuw " + role, Password, role, institution))).Read<UserView>(HttpStatusCode.Created);
        return await SignIn(host, email, Password);
    }

    public static async Task<InstitutionView> Institution(HttpClient admin, string name, Sector sector) =>
        await (await admin.Post("/api/admin/institutions", new CreateInstitution(name, sector, BoardEmail)))
            .Read<InstitutionView>(HttpStatusCode.Created);

    public static async Task<HttpClient> SignIn(TestHost host, string email, string password, string? code = null)
    {
        var client = host.CreateClient();
        var token = await (await client.Post("/api/auth/login", new { email, password, twoFactorCode = code })).Read<JsonElement>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("accessToken").GetString());
        return client;
    }

    // The steps of the chain, as a client would send them.
    public async Task<CaseRef> Register(IncidentType type, VictimAge age, AccusedRole accused = AccusedRole.MetTakenBelastPersoon,
        VictimKind victim = VictimKind.Student, bool afhankelijkheidsrelatie = false, DateTimeOffset? learnedAt = null, string facts = "Feitenrelaas") =>
        await (await Board.Post("/api/cases", new RegisterCase(type, new VictimInput(victim, age, afhankelijkheidsrelatie), accused,
            learnedAt ?? DateTimeOffset.UtcNow.AddHours(-1), facts))).Read<CaseRef>(HttpStatusCode.Created);

    public Task<HttpResponseMessage> Consult(Guid id) =>
        Board.Post($"/api/cases/{id}/consultation", new { inspectorId = InspectorId, factsGiven = "Feiten gedeeld met de inspecteur" });

    public Task<HttpResponseMessage> Outcome(Guid id, OverlegOutcome outcome, DateOnly? by = null) =>
        Inspector.Post($"/api/cases/{id}/outcome", new { outcome, reasoning = "Onderbouwing van de uitkomst", informationExpectedBy = by });

    public Task<HttpResponseMessage> Inform(Guid id, InformedParty first = InformedParty.Parents) =>
        Board.Post($"/api/cases/{id}/parties-informed", new { informedAt = DateTimeOffset.UtcNow, parties = new[] { first, InformedParty.Accused }, how = "Gesprek" });

    public Task<HttpResponseMessage> Aangifte(Guid id) =>
        Board.Post($"/api/cases/{id}/aangifte", new { filedOn = DateOnly.FromDateTime(DateTime.UtcNow), policeUnit = "Eenheid Utrecht", registrationNumber = "PL0900-2026-1" });

    public Task<HttpResponseMessage> NotifyInspector(Guid id) =>
        Board.Post($"/api/cases/{id}/aangifte-notification", new { notifiedOn = DateOnly.FromDateTime(DateTime.UtcNow) });

    public Task<HttpResponseMessage> FollowUp(Guid id, FollowUp followUp = Domain.Cases.FollowUp.EmploymentMeasures) =>
        Board.Post($"/api/cases/{id}/follow-up", new { followUp, reasoning = "Arbeidsrechtelijke maatregelen" });
}
