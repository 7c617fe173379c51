using System.Text.Json.Nodes;
using CaseHandling.Server.Features.Auth;
using CaseHandling.Server.Features.Cases;
using CaseHandling.Server.Features.Reports;

using CaseHandling.Server.Infrastructure.OpenApi;

namespace CaseHandling.Server.Features;

/// <summary>Example bodies for the document (docs/WALKTHROUGH.md's curl walk-through, as JSON). Invented data.</summary>
public sealed class ApiExamples : IApiExamples
{
    private static readonly Dictionary<Type, Func<JsonNode>> Examples = new()
    {
        [typeof(LoginRequest)] = () => new JsonObject { ["email"] = "bestuur-ho@demo.casehandling.nl", ["password"] = "Demo-wachtwoord-2026" },
        [typeof(NotifyBoard)] = () => new JsonObject
        {
            ["incidentType"] = "Zedenmisdrijf", ["victim"] = Victim(), ["accusedRole"] = "MetTakenBelastPersoon",
            ["learnedAt"] = "2026-11-28T09:00:00+01:00", ["facts"] = "Wat ik zag en hoorde, met datum en plaats.",
        },
        [typeof(RegisterCase)] = () => new JsonObject
        {
            ["incidentType"] = "Zedenmisdrijf", ["victim"] = Victim(), ["accusedRole"] = "MetTakenBelastPersoon",
            ["boardLearnedAt"] = "2026-11-28T09:00:00+01:00", ["facts"] = "Feitenrelaas zoals het bestuur het kent.",
        },
        [typeof(StartOverleg)] = () => new JsonObject { ["inspectorId"] = "3f0c2a64-5d2e-4b8e-9d51-6c1f0e7a9b21", ["factsGiven"] = "De feiten zoals gedeeld." },
        [typeof(RecordOutcome)] = () => new JsonObject { ["outcome"] = "ReasonableSuspicion", ["reasoning"] = "Onderbouwing van de uitkomst." },
        [typeof(InformParties)] = () => new JsonObject
        {
            ["informedAt"] = "2026-11-28T14:00:00+01:00", ["parties"] = new JsonArray("Parents", "Accused"), ["how"] = "In een gesprek.",
        },
        [typeof(RecordInformingImpossible)] = () => new JsonObject { ["reason"] = "De ouders zijn onbereikbaar; zie het dossier." },
        [typeof(FileAangifte)] = () => new JsonObject
        {
            ["filedOn"] = "2026-11-28", ["policeUnit"] = "Eenheid Midden-Nederland", ["registrationNumber"] = "PL0900-2026-1",
        },
        [typeof(NotifyInspectorOfAangifte)] = () => new JsonObject { ["notifiedOn"] = "2026-11-28" },
        [typeof(RecordFollowUp)] = () => new JsonObject { ["followUp"] = "EmploymentMeasures", ["reasoning"] = "Arbeidsrechtelijke maatregelen." },
        [typeof(SubmitReport)] = () => new JsonObject
        {
            ["reporterKind"] = "Student", ["anonymous"] = true, ["incidentType"] = "SeksueleIntimidatie",
            ["whatHappened"] = "Wat er gebeurde.", ["whenHappened"] = "vorige week", ["institutionId"] = "9b2f4c1e-0a7d-4e3b-8c6f-2d1e5a7b9c30",
            ["accusedRole"] = "MetTakenBelastPersoon", ["victimWho"] = "Reporter", ["victimAge"] = "Adult", ["destination"] = "InstitutionToo",
        },
        [typeof(GetReportStatus)] = () => new JsonObject { ["receiptCode"] = "K7QMZ-4RTXW-9PNHB-2VCDE-6GJFE" },
        [typeof(ReplyToReport)] = () => new JsonObject { ["receiptCode"] = "K7QMZ-4RTXW-9PNHB-2VCDE-6GJFE", ["text"] = "Een aanvulling." },
        [typeof(GiveConsent)] = () => new JsonObject { ["receiptCode"] = "K7QMZ-4RTXW-9PNHB-2VCDE-6GJFE", ["items"] = new JsonArray("Description", "Messages") },
    };

    private static JsonObject Victim() => new() { ["kind"] = "Student", ["age"] = "Minor", ["afhankelijkheidsrelatie"] = false };

    public JsonNode? For(Type type) => Examples.TryGetValue(type, out var make) ? make() : null;
}
