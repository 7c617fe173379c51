using Bogus;
using CaseHandling.Data;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Server.Features.Admin;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Features.Incidents;
using CaseHandling.Domain.Incidents;
using CaseHandling.Server.Features.Meldpunt;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Infrastructure.Security;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace CaseHandling.Demo;

/// <summary>
/// Demo data for a first run (deploy/run.sh runs this project before the app): an institution per sector, an account per role, and
/// cases in every state of the chain, made with Bogus (nl) and driven through the real handlers.
/// All of it is invented.
/// </summary>
public sealed class DemoSeeder(IServiceScopeFactory scopes, CaseHandlingDbContext db, TimeProvider time)
{
    public const string Password = "Demo-wachtwoord-2026";
    private const string DemoDomain = "@demo.casehandling.nl";

    public async Task SeedIfEmptyAsync(CancellationToken ct)
    {
        if (await db.Institutions.AnyAsync(ct))
        {
            var existing = await db.Users.Where(u => u.Email!.EndsWith(DemoDomain)).OrderBy(u => u.Email).Select(u => u.Email!).ToListAsync(ct);
            Console.WriteLine($"CaseHandling: demo data already present. Demo accounts (password for all: {Password}):");
            foreach (var email in existing) Console.WriteLine($"  {email}");
            return;
        }

        var faker = new Faker("nl") { Random = new Randomizer(20261128) };
        var system = new CurrentUser("system", StaffRole.Administrator, null);
        var accounts = new List<(string Email, string Role, string? Institution)>();

        async Task<UserView> User(string email, StaffRole role, Guid? institution, string? institutionName)
        {
            var r = await Send(system, new CreateUser(email, faker.Name.FullName(), Password, role, institution), ct);
            accounts.Add((email, role.ToString(), institutionName));
            return r;
        }

        await User("beheerder@demo.casehandling.nl", StaffRole.Administrator, null, null);
        var meldpunt = await User("meldpunt@demo.casehandling.nl", StaffRole.MeldpuntHandler, null, null);
        var inspector = await User("inspecteur@demo.casehandling.nl", StaffRole.Vertrouwensinspecteur, null, null);
        await User("inspecteur2@demo.casehandling.nl", StaffRole.Vertrouwensinspecteur, null, null);
        await User("inspectie@demo.casehandling.nl", StaffRole.Inspectie, null, null);

        var boards = new List<CurrentUser>();
        var staff = new List<CurrentUser>();
        var institutionIds = new List<Guid>();
        foreach (var sector in Enum.GetValues<Sector>())
        {
            var name = $"{faker.Company.CompanyName()} ({sector.ToString().ToUpperInvariant()})";
            var inst = await Send(system, new CreateInstitution(name, sector, $"bestuur-{sector.ToString().ToLowerInvariant()}@demo.casehandling.nl"), ct);
            var board = await User($"bestuur-{sector.ToString().ToLowerInvariant()}@demo.casehandling.nl", StaffRole.Board, inst.Id, name);
            var member = await User($"personeel-{sector.ToString().ToLowerInvariant()}@demo.casehandling.nl", StaffRole.StaffMember, inst.Id, name);
            staff.Add(new CurrentUser(member.Id, StaffRole.StaffMember, inst.Id));
            boards.Add(new CurrentUser(board.Id, StaffRole.Board, inst.Id));
            institutionIds.Add(inst.Id);
        }

        var insp = new CurrentUser(inspector.Id, StaffRole.Vertrouwensinspecteur, null);
        var now = time.GetUtcNow();
        var n = 0;
        // One case per state of the chain, spread over the institutions.
        async Task<CaseRef> Open(IncidentType type, VictimAge age, AccusedRole accused)
        {
            var board = boards[n++ % boards.Count];
            return await Send(board, new RegisterCase(type, new VictimInput(VictimKind.Student, age, age == VictimAge.Adult), accused,
                now.AddDays(-faker.Random.Int(1, 20)), faker.Lorem.Paragraph()), ct);
        }
        CurrentUser BoardOf(int i) => boards[(i - 1) % boards.Count];
        async Task<CaseRef> Consult(CaseRef c, int i) => await Send(BoardOf(i), new StartOverleg(c.Id, inspector.Id, faker.Lorem.Sentence(), null), ct);
        async Task<CaseRef> Outcome(CaseRef c, OverlegOutcome o) => await Send(insp, new RecordOutcome(c.Id, o, faker.Lorem.Sentence(),
            o == OverlegOutcome.MoreInformationNeeded ? DateOnly.FromDateTime(now.UtcDateTime.AddDays(7)) : null, null), ct);
        async Task<CaseRef> Inform(CaseRef c, int i) => await Send(BoardOf(i), new InformParties(c.Id, now.AddHours(-2),
            [InformedParty.Parents, InformedParty.Accused], "Persoonlijk gesprek", null), ct);
        async Task<CaseRef> Aangifte(CaseRef c, int i) => await Send(BoardOf(i), new FileAangifte(c.Id, DateOnly.FromDateTime(now.UtcDateTime),
            "Politie eenheid " + faker.Address.City(), faker.Random.Replace("PL####-#######"), null), ct);

        await Open(IncidentType.Zedenmisdrijf, VictimAge.Minor, AccusedRole.MetTakenBelastPersoon);                      // Registered
        await Open(IncidentType.Bullying, VictimAge.Minor, AccusedRole.FellowStudent);                                  // OutsideChain
        var c3 = await Open(IncidentType.Zedenmisdrijf, VictimAge.Minor, AccusedRole.MetTakenBelastPersoon); await Consult(c3, n);  // OverlegStarted
        var c4 = await Open(IncidentType.Zedenmisdrijf, VictimAge.Adult, AccusedRole.MetTakenBelastPersoon); await Consult(c4, n);
        await Outcome(c4, OverlegOutcome.MoreInformationNeeded);                                                   // MoreInformationNeeded
        var c5 = await Open(IncidentType.Zedenmisdrijf, VictimAge.Minor, AccusedRole.MetTakenBelastPersoon); await Consult(c5, n);
        await Outcome(c5, OverlegOutcome.ReasonableSuspicion);                                                     // ReasonableSuspicion
        var c6 = await Open(IncidentType.Zedenmisdrijf, VictimAge.Minor, AccusedRole.MetTakenBelastPersoon); await Consult(c6, n);
        await Outcome(c6, OverlegOutcome.ReasonableSuspicion); await Inform(c6, n);                                // PartiesInformed
        var c7 = await Open(IncidentType.Zedenmisdrijf, VictimAge.Minor, AccusedRole.MetTakenBelastPersoon); await Consult(c7, n);
        await Outcome(c7, OverlegOutcome.ReasonableSuspicion);
        await Send(BoardOf(n), new RecordInformingImpossible(c7.Id, "Op advies van de politie nog niet geïnformeerd.", null), ct); // InformingImpossible
        var c8 = await Open(IncidentType.Zedenmisdrijf, VictimAge.Minor, AccusedRole.MetTakenBelastPersoon); await Consult(c8, n);
        await Outcome(c8, OverlegOutcome.ReasonableSuspicion); await Inform(c8, n); await Aangifte(c8, n);          // AangifteFiled
        var c9 = await Open(IncidentType.Zedenmisdrijf, VictimAge.Minor, AccusedRole.MetTakenBelastPersoon); await Consult(c9, n);
        await Outcome(c9, OverlegOutcome.ReasonableSuspicion); await Inform(c9, n); await Aangifte(c9, n);
        await Send(BoardOf(n), new NotifyInspectorOfAangifte(c9.Id, DateOnly.FromDateTime(now.UtcDateTime), null), ct);  // InspectorNotified
        var c10 = await Open(IncidentType.SeksueleIntimidatie, VictimAge.Adult, AccusedRole.MetTakenBelastPersoon); await Consult(c10, n);
        await Outcome(c10, OverlegOutcome.SexualHarassment);                                                        // SexualHarassmentFound
        var c11 = await Open(IncidentType.Zedenmisdrijf, VictimAge.Minor, AccusedRole.MetTakenBelastPersoon); await Consult(c11, n);
        await Outcome(c11, OverlegOutcome.NoReasonableSuspicion);                                                   // NoReasonableSuspicion
        var c12 = await Open(IncidentType.Zedenmisdrijf, VictimAge.Minor, AccusedRole.MetTakenBelastPersoon); await Consult(c12, n);
        await Outcome(c12, OverlegOutcome.NoReasonableSuspicion);
        await Send(BoardOf(n), new RecordFollowUp(c12.Id, FollowUp.ComplaintsProcedure, faker.Lorem.Sentence(), null), ct); // Closed

        // The meldpunt's inbox: reports at each stage of the dialogue, filed through the reporter's own command.
        var handler = new CurrentUser(meldpunt.Id, StaffRole.MeldpuntHandler, null);
        var reports = 0;
        async Task<(string Code, Guid Id)> Report(ReporterKind who, IncidentType type, AccusedRole accused, VictimWho victim, VictimAgeAnswer age, int institution)
        {
            var receipt = await Send(handler, new SubmitReport(who, true, null, null, null, type, faker.Lorem.Paragraph(), "vorige maand",
                institutionIds[institution % institutionIds.Count], null, accused, victim, age, Destination.InstitutionToo), ct);
            reports++;
            var hash = ReceiptCode.Hash(receipt.ReceiptCode);
            return (receipt.ReceiptCode, await db.Reports.Where(r => r.ReceiptHash == hash).Select(r => r.Id).FirstAsync(ct));
        }
        await Report(ReporterKind.Student, IncidentType.Bullying, AccusedRole.FellowStudent, VictimWho.Reporter, VictimAgeAnswer.Minor, 1);   // just received
        var asked = await Report(ReporterKind.Student, IncidentType.SeksueleIntimidatie, AccusedRole.MetTakenBelastPersoon, VictimWho.Reporter, VictimAgeAnswer.Adult, 4);
        await Send(handler, new SendHandlerMessage(asked.Id, HandlerMessageKind.Acknowledgement, "Dank voor uw melding. Wij nemen haar serieus."), ct);
        await Send(handler, new SendHandlerMessage(asked.Id, HandlerMessageKind.Message, "Wilt u dat wij dit aan het bestuur van uw instelling doorgeven?"), ct);
        await Send(handler, new ReplyToReport(asked.Code, "Ja, maar alleen mijn beschrijving."), ct);
        await Send(handler, new GiveConsent(asked.Code, [ForwardItems.Description]), ct);                                                  // consent: ready to forward
        await Report(ReporterKind.StaffMember, IncidentType.Zedenmisdrijf, AccusedRole.MetTakenBelastPersoon, VictimWho.SomeoneElse, VictimAgeAnswer.Minor, 2); // forwarded at once
        var fed = await Report(ReporterKind.Other, IncidentType.Discrimination, AccusedRole.Outsider, VictimWho.SomeoneElse, VictimAgeAnswer.Unknown, 3);
        await Send(handler, new SendHandlerMessage(fed.Id, HandlerMessageKind.Feedback, "Wij hebben u doorverwezen; u kunt ons altijd weer bereiken."), ct);

        var incidents = await SeedIncidentsAsync(system, boards, staff, faker, now, ct);

        Console.WriteLine();
        Console.WriteLine($"CaseHandling demo data loaded: {Enum.GetValues<Sector>().Length} institutions, {n} cases in every state of the chain, {reports} reports to the meldpunt, {incidents} registered safety incidents.");
        Console.WriteLine($"Demo accounts (password for all: {Password}):");
        foreach (var (email, role, inst) in accounts)
            Console.WriteLine($"  {role,-22} {email}{(inst is null ? "" : "  — " + inst)}");
        Console.WriteLine();
    }

    /// <summary>
    /// The incident register (bill 36 777): the demo switches its duties on (a setting, visible on the rules page) and registers
    /// incidents in po, vo and so: a serious one reported to the Inspectorate, one still to report, recurrence around one pupil
    /// number, a sexual incident by a staff member that opens a chain case; and one in ho, where no duty applies.
    /// </summary>
    private async Task<int> SeedIncidentsAsync(CurrentUser system, List<CurrentUser> boards, List<CurrentUser> staff, Faker faker, DateTimeOffset now,
        CancellationToken ct)
    {
        await Send(system, new UpdateSettings(null, null, null, IncidentRegisterEffectiveFrom: "2024-01-01"), ct);
        CurrentUser Board(Sector s) => boards[(int)s];
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var count = 0;
        async Task<IncidentRef> Register(CurrentUser who, IncidentCategory category, int daysAgo, PlaceType place, HarmedParty harmed,
            bool serious = false, bool injury = false, bool firearm = false, string? pupil = null, bool staffInvolved = false)
        {
            count++;
            return await Send(who, new RegisterIncident(category, today.AddDays(-daysAgo), place, harmed, faker.Lorem.Sentence(), serious, injury, firearm,
                staffInvolved, pupil, null, false, staffInvolved ? VictimAge.Minor : null), ct);
        }

        // vo: a firearm found (serious) and reported; a fight with serious injury still to report; everyday incidents.
        var firearm = await Register(Board(Sector.Vo), IncidentCategory.WeaponPossession, 12, PlaceType.Schoolyard, HarmedParty.None, firearm: true);
        await Send(Board(Sector.Vo), new ReportIncident(firearm.Id, today.AddDays(-11)), ct);
        await Register(Board(Sector.Vo), IncidentCategory.PhysicalOrMentalHarm, 2, PlaceType.CommonArea, HarmedParty.Pupil, injury: true);
        await Register(Board(Sector.Vo), IncidentCategory.VandalismOrTheft, 20, PlaceType.Classroom, HarmedParty.StaffMember);
        await Register(Board(Sector.Vo), IncidentCategory.Discrimination, 8, PlaceType.Online, HarmedParty.Pupil);
        // The vo board authorises its staff member, who registers a sexual incident by a colleague: a chain case opens.
        await Send(Board(Sector.Vo), new SetIncidentRegistrar(staff[(int)Sector.Vo].UserId, true), ct);
        await Register(staff[(int)Sector.Vo], IncidentCategory.SexualHarassmentOrAbuse, 1, PlaceType.OutsideSchoolActivity, HarmedParty.Pupil, staffInvolved: true);
        // po: threats around one pupil, recognised by the school's pupil number; the third is a recurring incident to report.
        foreach (var days in new[] { 40, 25, 3 })
            await Register(Board(Sector.Po), IncidentCategory.Threat, days, PlaceType.Schoolyard, HarmedParty.Pupil, pupil: "1204");
        await Register(Board(Sector.Po), IncidentCategory.Drugs, 30, PlaceType.RouteToSchool, HarmedParty.None);
        // so: systematic bullying, serious in itself (the memo's example), reported.
        var bullying = await Register(Board(Sector.So), IncidentCategory.SystematicBullying, 15, PlaceType.Classroom, HarmedParty.Pupil);
        await Send(Board(Sector.So), new ReportIncident(bullying.Id, today.AddDays(-14)), ct);
        // ho: registered for the school's own analysis; no duty in ho.
        await Register(Board(Sector.Ho), IncidentCategory.Threat, 5, PlaceType.Online, HarmedParty.StaffMember, serious: true);
        return count;
    }

    /// <summary>Runs one command as <paramref name="actor"/> in its own scope, as a request would.</summary>
    private async Task<T> Send<T>(CurrentUser actor, ICommand<Result<T>> command, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentUserAccessor>().Set(actor);
        var result = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(command, ct);
        return result.IsSuccess ? result.Value! : throw new InvalidOperationException($"Demo seed step {command.GetType().Name} failed: {result.Error!.Code}");
    }
}
