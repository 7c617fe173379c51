using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Workflow;

namespace CaseHandling.Domain.Tests.Workflow;

/// <summary>The code says "overleg" (the law's word); the database and the API keep the names they have always had.</summary>
public sealed class WireNameTests
{
    [Test]
    public void Renamed_OverlegMembers_KeepTheirPublishedNames()
    {
        Assert.That(WireName.Of(CaseState.OverlegStarted), Is.EqualTo("ConsultationStarted"));
        Assert.That(WireName.Of(CaseTrigger.StartOverleg), Is.EqualTo("StartConsultation"));
        Assert.That(WireName.Parse<CaseState>("ConsultationStarted"), Is.EqualTo(CaseState.OverlegStarted));
        Assert.That(WireName.Parse<CaseTrigger>("StartConsultation"), Is.EqualTo(CaseTrigger.StartOverleg));
    }

    [Test]
    public void EveryOtherMember_IsPublishedByItsOwnName_AndReadsBack()
    {
        foreach (var s in Enum.GetValues<CaseState>().Where(s => s != CaseState.OverlegStarted))
            Assert.That(WireName.Parse<CaseState>(WireName.Of(s)), Is.EqualTo(s));
        foreach (var s in Enum.GetValues<CaseState>().Where(s => s != CaseState.OverlegStarted))
            Assert.That(WireName.Of(s), Is.EqualTo(s.ToString()));
        foreach (var t in Enum.GetValues<CaseTrigger>())
            Assert.That(WireName.Parse<CaseTrigger>(WireName.Of(t)), Is.EqualTo(t));
        Assert.That(WireName.Of(CaseState.Closed), Is.EqualTo("Closed"));
    }
}
