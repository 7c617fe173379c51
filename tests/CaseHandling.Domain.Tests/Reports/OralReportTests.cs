using CaseHandling.Domain.Calendar;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Duties;
using CaseHandling.Domain.Reports;

namespace CaseHandling.Domain.Tests.Reports;

/// <summary>
/// An oral report (EU directive 2019/1937 art. 9 lid 2, art. 18): received at the call, its account corrected and then
/// approved by the reporter, every version kept; an online report has no account.
/// </summary>
public class OralReportTests
{
    private static readonly DutyRules Rules = new(DutyMatrix.Create(new DateOnly(2024, 1, 1)), DeadlinePolicy.Default, WorkingDayCalendar.Atw());
    private static readonly DateTimeOffset Call = DutchTime.FromLocal(new DateOnly(2026, 3, 2), new TimeOnly(10, 0));
    private static readonly DateTimeOffset Typed = Call.AddDays(3);

    private static ReportInput Input(string text = "Wat de melder vertelde") => new(ReporterKind.Student, Anonymous: true, null, null, null,
        IncidentType.SeksueleIntimidatie, text, "gisteren", Guid.NewGuid(), null, AccusedRole.MetTakenBelastPersoon, VictimWho.Reporter, VictimAgeAnswer.Adult,
        Destination.MeldpuntOnly, Language: "pl");

    private static Report Oral() => Report.RecordOral(Input(), ReportChannel.Phone, Call, recordingExists: true, "handler-1", new byte[32], Rules, Typed);

    [Test]
    public void Recorded_ReceivedAtTheCall_TheClockRunsFromIt()
    {
        var r = Oral();
        var ack = r.Duties.Single(d => d.Kind == DutyKind.MeldpuntAcknowledgement);
        Assert.Multiple(() =>
        {
            Assert.That((r.SubmittedAt, ack.OpenedAt, ack.DueAt), Is.EqualTo((Call, Call, Rules.Schedule(DutyKind.MeldpuntAcknowledgement, Call).Due)));
            Assert.That((r.Channel, r.RecordingExists, r.Language, r.IsOral), Is.EqualTo((ReportChannel.Phone, true, "pl", true)));
            Assert.That(r.AccountVersions.Select(v => (v.Number, v.Author, v.HandlerUserId, v.At)), Is.EqualTo(new[] { (1, MessageAuthor.Handler, (string?)"handler-1", Typed) }));
            Assert.That(r.LastActivityAt, Is.EqualTo(Typed));
        });
    }

    [Test]
    public void Corrected_ThenApprovedByVersion_ThenClosedToChanges()
    {
        var r = Oral();
        Assert.That(r.ReviseAccount(MessageAuthor.Reporter, "ignored", "Verbeterd", Typed.AddHours(1)).IsSuccess, Is.True);
        Assert.That((r.WhatHappened, r.AccountVersions[^1].HandlerUserId), Is.EqualTo(("Verbeterd", (string?)null)), "the newest is the text; a reporter has no user id");

        var stale = (StepNotAllowed)r.ApproveAccount(1, Typed.AddHours(2)).Error!;
        Assert.That((stale.Current, stale.Attempted), Is.EqualTo(("AccountVersion2", "ApproveAccount")), "a version written since is not approved unseen");
        Assert.That(r.ApproveAccount(2, Typed.AddHours(3)).IsSuccess, Is.True);
        Assert.That((r.AccountApprovedVersion, r.AccountApprovedAt), Is.EqualTo(((int?)2, (DateTimeOffset?)Typed.AddHours(3))));

        Assert.That(r.ReviseAccount(MessageAuthor.Handler, "handler-1", "Nog iets", Typed.AddHours(4)).Error, Is.TypeOf<StepNotAllowed>());
        Assert.That(r.ApproveAccount(2, Typed.AddHours(4)).Error, Is.TypeOf<StepNotAllowed>());
        Assert.That(r.AccountVersions, Has.Count.EqualTo(2), "nothing changed by the refused steps");
    }

    [Test]
    public void Closed_OrOnline_NoAccountSteps()
    {
        var closed = Oral();
        Assert.That(closed.Close(Typed.AddDays(1)).IsSuccess, Is.True);
        Assert.That(closed.ReviseAccount(MessageAuthor.Reporter, null, "x", Typed.AddDays(2)).Error, Is.TypeOf<StepNotAllowed>());

        var online = Report.Submit(Input(), new byte[32], Rules, Call);
        Assert.That((online.Channel, online.IsOral, online.AccountVersions.Count), Is.EqualTo((ReportChannel.Online, false, 0)));
        Assert.That(((StepNotAllowed)online.ReviseAccount(MessageAuthor.Reporter, null, "x", Typed).Error!).Current, Is.EqualTo("Online"));
        Assert.Throws<ArgumentException>(() => Report.RecordOral(Input(), ReportChannel.Online, Call, false, "h", new byte[32], Rules, Typed));
    }

    [Test]
    public void Language_OneOfTheSix_ElseDutch()
    {
        Assert.That(Report.Submit(Input() with { Language = "UK " }, new byte[32], Rules, Call).Language, Is.EqualTo("uk"));
        Assert.That(Report.Submit(Input() with { Language = "xx" }, new byte[32], Rules, Call).Language, Is.EqualTo("nl"));
    }
}
