using CaseHandling.Domain.Calendar;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Duties;
using CaseHandling.Domain.Reports;

namespace CaseHandling.Domain.Tests.Reports;

/// <summary>Closing a report stops the reminders of its service levels not yet met, and marks none of them met.</summary>
public class ReportCloseTests
{
    private static readonly DutyRules Rules = new(DutyMatrix.Create(new DateOnly(2024, 1, 1)), DeadlinePolicy.Default, WorkingDayCalendar.Atw());
    private static readonly DateTimeOffset Submitted = DutchTime.FromLocal(new DateOnly(2026, 3, 2), new TimeOnly(10, 0));

    private static Report Submit() => Report.Submit(new ReportInput(ReporterKind.Student, Anonymous: true, null, null, null, IncidentType.SeksueleIntimidatie,
            "Wat er gebeurde", "gisteren", Guid.NewGuid(), null, AccusedRole.MetTakenBelastPersoon, VictimWho.Reporter, VictimAgeAnswer.Adult,
            Destination.MeldpuntOnly), new byte[32], Rules, Submitted);

    [Test]
    public void Close_AcknowledgementOpen_NoNextActionStillUnmet()
    {
        var report = Submit();
        var ack = report.Duties.Single();
        Assert.That(ack.NextActionAt, Is.Not.Null, "an open service level is scheduled");

        Assert.That(report.Close(Submitted.AddDays(1)).IsSuccess, Is.True);
        Assert.That((ack.MetAt, ack.NextActionAt), Is.EqualTo(((DateTimeOffset?)null, (DateTimeOffset?)null)));
        // Not met, so it reads as what it was: overdue once its due time has passed.
        Assert.That(ack.StatusAt(ack.DueAt.AddDays(1)), Is.EqualTo(DutyStatus.Overdue));
    }

    [Test]
    public void Close_AcknowledgementMetFeedbackOpen_MetTimeKeptFeedbackStopped()
    {
        var report = Submit();
        var acknowledged = Submitted.AddDays(2);
        Assert.That(report.AddHandlerMessage(HandlerMessageKind.Acknowledgement, "Ontvangen.", "handler", Rules, acknowledged).IsSuccess, Is.True);
        Assert.That(report.Close(Submitted.AddDays(10)).IsSuccess, Is.True);

        var ack = report.Duties.Single(d => d.Kind == DutyKind.MeldpuntAcknowledgement);
        var feedback = report.Duties.Single(d => d.Kind == DutyKind.MeldpuntFeedback);
        Assert.That((ack.MetAt, ack.StatusAt(Submitted.AddDays(30))), Is.EqualTo(((DateTimeOffset?)acknowledged, DutyStatus.Met)));
        Assert.That((feedback.MetAt, feedback.NextActionAt), Is.EqualTo(((DateTimeOffset?)null, (DateTimeOffset?)null)));
    }
}
