using System.Net.Http.Headers;
using CaseHandling.ApiClient;
using CaseHandling.Server.Tests.Infrastructure;

namespace CaseHandling.Server.Tests.Api;

/// <summary>
/// The API as an institution's system would use it: through the typed client NSwag generates from the committed
/// OpenAPI document (tests/CaseHandling.ApiClient), and nothing else. If the document stops describing the API as it
/// behaves, or a change breaks generated clients, this fails (or the build does).
/// </summary>
public sealed class ApiClientTests
{
    private TestHost _host = null!;
    private CaseHandlingClient _anonymous = null!;
    private CaseHandlingClient _admin = null!;
    private const string Password = "Client-wachtwoord-2026";

    [OneTimeSetUp]
    public async Task Start()
    {
        _host = await TestHost.Get();
        _anonymous = new CaseHandlingClient(_host.CreateClient());
        _admin = await SignIn(TestHost.AdminEmail, TestHost.AdminPassword);
    }

    private async Task<CaseHandlingClient> SignIn(string email, string password)
    {
        var token = await _anonymous.LoginAsync(null, null, new LoginRequest { Email = email, Password = password });
        var http = _host.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        return new CaseHandlingClient(http);
    }

    private async Task<(CaseHandlingClient Client, string Id)> Account(StaffRole role, Guid? institution, string tag)
    {
        var email = $"client-{role}-{tag}@test.casehandling.nl".ToLowerInvariant();
        var user = await _admin.CreateUserAsync(null, new CreateUser { Email = email, DisplayName = $"{role} {tag}", Password = Password, Role = role, InstitutionId = institution });
        return (await SignIn(email, Password), user.Id);
    }

    [Test]
    public async Task GeneratedClient_WholeChain_NotificationToFollowUp()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var institution = await _admin.CreateInstitutionAsync(null, new CreateInstitution { Name = $"Hogeschool {tag}", Sector = Sector.Ho, ContactEmail = "bestuur@example.org" });
        var board = (await Account(StaffRole.Board, institution.Id, tag)).Client;
        var staff = (await Account(StaffRole.StaffMember, institution.Id, tag)).Client;
        var (inspector, inspectorId) = await Account(StaffRole.Vertrouwensinspecteur, null, tag);

        // Step 1: the staff member informs the board; the case opens at the board.
        var receipt = await staff.NotifyBoardAsync(null, new NotifyBoard
        {
            IncidentType = IncidentType.Zedenmisdrijf, AccusedRole = AccusedRole.MetTakenBelastPersoon, LearnedAt = DateTimeOffset.UtcNow.AddHours(-1),
            Victim = new VictimInput { Kind = VictimKind.Student, Age = VictimAge.Minor }, Facts = "Wat de docent zag.",
        });
        var listed = (await board.ListCasesAsync()).Single(c => c.Number == receipt.Number);
        var detail = await board.GetCaseAsync(listed.Id);
        Assert.That(detail.State, Is.EqualTo(CaseState.Registered));

        // Step 2: the overleg, with an inspector the board finds in the list.
        Assert.That((await board.ListInspectorsAsync()).Select(i => i.Id), Does.Contain(inspectorId));
        var step = await board.StartOverlegAsync(listed.Id, null, null, new StartOverleg { InspectorId = inspectorId, FactsGiven = "De feiten." });
        Assert.That(step.State, Is.EqualTo(CaseState.ConsultationStarted));

        // Step 3: the inspector sees it in the queue and records a redelijk vermoeden.
        Assert.That((await inspector.ListOverleggenAsync()).Select(o => o.CaseId), Does.Contain(listed.Id));
        step = await inspector.RecordOutcomeAsync(listed.Id, null, null, new RecordOutcome { Outcome = OverlegOutcome.ReasonableSuspicion, Reasoning = "Onderbouwd." });

        // The aangifte before informing the parties: the typed 409 names the state and what may happen next.
        var refused = await Assert.ThrowsAsync<ApiException<Problem>>(() => board.FileAangifteAsync(listed.Id, null, null,
            new FileAangifte { FiledOn = DateOnly.FromDateTime(DateTime.UtcNow), PoliceUnit = "Eenheid Utrecht", RegistrationNumber = "PL0900-1" }));
        Assert.That(refused!.StatusCode, Is.EqualTo(409));
        Assert.That(refused.Result.CurrentState, Is.EqualTo(nameof(CaseState.ReasonableSuspicion)));
        Assert.That(refused.Result.Allowed, Does.Contain("InformParties"));

        // Step 4, conditional on the version read (If-Match); a stale version is refused.
        var stale = $"\"{step.Version - 1}\"";
        Assert.That((await Assert.ThrowsAsync<ApiException<Problem>>(() => board.InformPartiesAsync(listed.Id, stale, null, Inform())))!.StatusCode, Is.EqualTo(409));
        step = await board.InformPartiesAsync(listed.Id, $"\"{step.Version}\"", null, Inform());
        Assert.That(step.State, Is.EqualTo(CaseState.PartiesInformed));

        // Steps 5 and 6, and the follow-up, which closes the case.
        step = await board.FileAangifteAsync(listed.Id, $"\"{step.Version}\"", null,
            new FileAangifte { FiledOn = DateOnly.FromDateTime(DateTime.UtcNow), PoliceUnit = "Eenheid Utrecht", RegistrationNumber = "PL0900-1" });
        step = await board.NotifyInspectorOfAangifteAsync(listed.Id, $"\"{step.Version}\"", null, new NotifyInspectorOfAangifte { NotifiedOn = DateOnly.FromDateTime(DateTime.UtcNow) });
        step = await board.RecordFollowUpAsync(listed.Id, $"\"{step.Version}\"", null, new RecordFollowUp { FollowUp = FollowUp.EmploymentMeasures, Reasoning = "Maatregelen." });
        Assert.That(step.State, Is.EqualTo(CaseState.Closed));
        Assert.That(step.AllowedNext, Is.Empty);
        Assert.That((await board.GetAccessLogAsync(listed.Id)).Count, Is.GreaterThan(0));
    }

    private static InformParties Inform() =>
        new() { InformedAt = DateTimeOffset.UtcNow.AddMinutes(-5), Parties = [InformedParty.Parents, InformedParty.Accused], How = "Gesprek" };

    [Test]
    public async Task GeneratedClient_AnonymousReport_FollowedUpWithTheReceiptCode()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var institution = await _admin.CreateInstitutionAsync(null, new CreateInstitution { Name = $"Mbo-college {tag}", Sector = Sector.Mbo, ContactEmail = "bestuur@example.org" });
        var handler = (await Account(StaffRole.MeldpuntHandler, null, tag)).Client;

        Assert.That((await _anonymous.ListPublicInstitutionsAsync()).Select(i => i.Id), Does.Contain(institution.Id));
        var report = new SubmitReport
        {
            ReporterKind = ReporterKind.Student, Anonymous = true, IncidentType = IncidentType.SeksueleIntimidatie, WhatHappened = "Wat er gebeurde.",
            WhenHappened = "vorige week", InstitutionId = institution.Id, AccusedRole = AccusedRole.MetTakenBelastPersoon, VictimWho = VictimWho.Reporter,
            VictimAge = VictimAgeAnswer.Adult, Destination = Destination.InstitutionToo,
        };
        // The client sends the Idempotency-Key the document describes: a retry gets the first receipt, not a second report.
        var key = Guid.NewGuid().ToString();
        var receipt = await _anonymous.SubmitReportAsync(key, report);
        Assert.That(receipt.ReceiptCode, Has.Length.EqualTo(29));
        Assert.That((await _anonymous.SubmitReportAsync(key, report)).ReceiptCode, Is.EqualTo(receipt.ReceiptCode));

        // The handler acknowledges (the 7-day service level); the reporter reads it with the code and replies.
        // Other tests report too: the newest reports, read one by one, give this institution's.
        ReportDetail? filed = null;
        var mine = new List<Guid>();
        foreach (var item in (await handler.ListReportsAsync(null, null)).OrderByDescending(r => r.SubmittedAt).Take(50))
            if ((filed = await handler.GetReportAsync(item.Id)).InstitutionId == institution.Id) mine.Add(item.Id);
        Assert.That(mine, Has.Count.EqualTo(1), "the retried submission filed one report");
        filed = await handler.GetReportAsync(mine[0]);
        await handler.SendHandlerMessageAsync(filed.Id, null, new SendHandlerMessage { Kind = HandlerMessageKind.Acknowledgement, Text = "Ontvangen." });
        var status = await _anonymous.GetReportStatusAsync(null, new GetReportStatus { ReceiptCode = receipt.ReceiptCode });
        Assert.That(status.Messages.Select(m => m.Kind), Does.Contain(HandlerMessageKind.Acknowledgement));
        status = await _anonymous.ReplyToReportAsync(null, new ReplyToReport { ReceiptCode = receipt.ReceiptCode, Text = "Dank u." });
        Assert.That(status.Messages, Has.Count.EqualTo(2));
        status = await _anonymous.GiveConsentAsync(null, new GiveConsent { ReceiptCode = receipt.ReceiptCode, Items = ["Description"] });
        Assert.That(status.CanWithdrawConsent, Is.True);

        // The proof of filing: fetched with the code, checked by anyone; one changed byte and it is not valid.
        var proof = await _anonymous.GetFilingProofAsync(null, new GetFilingProof { ReceiptCode = receipt.ReceiptCode });
        Assert.That(proof.ReportNumber, Is.EqualTo(filed.Number));
        var verdict = await _anonymous.VerifyFilingProofAsync(null, new VerifyFilingProof { Proof = proof.Proof });
        Assert.That((verdict.Valid, verdict.ReportNumber), Is.EqualTo((true, filed.Number)));
        Assert.That((await _anonymous.VerifyFilingProofAsync(null, new VerifyFilingProof { Proof = proof.Proof.Replace("kind: report", "kind: message") })).Valid, Is.False);

        // A wrong code is a typed 404, the same as an unknown one.
        var wrong = await Assert.ThrowsAsync<ApiException<Problem>>(() => _anonymous.GetReportStatusAsync(null, new GetReportStatus { ReceiptCode = "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ" }));
        Assert.That(wrong!.StatusCode, Is.EqualTo(404));
    }

    /// <summary>An oral report through the generated client: recorded by the handler, corrected and approved with the code, its proof verified.</summary>
    [Test]
    public async Task GeneratedClient_OralReport_RecordedCorrectedApproved_ItsProofVerified()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var institution = await _admin.CreateInstitutionAsync(null, new CreateInstitution { Name = $"Hogeschool {tag}", Sector = Sector.Ho, ContactEmail = "bestuur@example.org" });
        var handler = (await Account(StaffRole.MeldpuntHandler, null, tag)).Client;
        var receipt = await handler.RecordOralReportAsync(null, new RecordOralReport
        {
            Channel = ReportChannel.Phone, ReceivedAt = DateTimeOffset.UtcNow.AddHours(-3), RecordingExists = false,
            Report = new SubmitReport
            {
                ReporterKind = ReporterKind.Student, Anonymous = true, IncidentType = IncidentType.SeksueleIntimidatie, WhatHappened = "Wat de melder vertelde.",
                WhenHappened = "vorige week", InstitutionId = institution.Id, AccusedRole = AccusedRole.MetTakenBelastPersoon, VictimWho = VictimWho.Reporter,
                VictimAge = VictimAgeAnswer.Adult, Destination = Destination.MeldpuntOnly, Language = "uk",
            },
        });
        var status = await _anonymous.CorrectOralAccountAsync(null, new CorrectOralAccount { ReceiptCode = receipt.ReceiptCode, Text = "Wat de melder vertelde, verbeterd." });
        Assert.That(status.OralAccount!.Versions, Has.Count.EqualTo(2));
        status = await _anonymous.ApproveOralAccountAsync(null, new ApproveOralAccount { ReceiptCode = receipt.ReceiptCode, Version = 2 });
        Assert.That(status.OralAccount!.ApprovedVersion, Is.EqualTo(2));
        var detail = await handler.GetReportAsync(receipt.Id);
        Assert.That((detail.Language, detail.WhatHappened, detail.AccountApprovedVersion), Is.EqualTo(("uk", "Wat de melder vertelde, verbeterd.", (int?)2)));

        var proof = await _anonymous.GetFilingProofAsync(null, new GetFilingProof { ReceiptCode = receipt.ReceiptCode });
        var verdict = await _anonymous.VerifyFilingProofAsync(null, new VerifyFilingProof { Proof = proof.Proof });
        Assert.That((verdict.Valid, verdict.ReportNumber), Is.EqualTo((true, receipt.Number)));

        // A file, uploaded through the generated client (multipart), its SHA-256 given back.
        var text = "Wat de melder later opschreef."u8.ToArray();
        var withFile = await _anonymous.AttachReportFileAsync(null, receipt.ReceiptCode, new FileParameter(new MemoryStream(text), "notitie.txt", "text/plain"));
        Assert.That((withFile.Files!.Single().Type, withFile.Files![0].Sha256), Is.EqualTo((EvidenceType.Text, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(text)))));
    }
}
