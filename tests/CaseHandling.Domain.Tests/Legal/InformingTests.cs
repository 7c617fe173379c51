using CaseHandling.Domain.Cases;

namespace CaseHandling.Domain.Tests.Legal;

/// <summary>Step 4: who is informed follows the victim.</summary>
public class InformingTests
{
    [TestCase(VictimAge.Minor, true, false, true, TestName = "Minor: parents and accused")]
    [TestCase(VictimAge.Minor, true, true, true, TestName = "Minor: parents, the student as well, and accused")]
    [TestCase(VictimAge.Adult, false, true, true, TestName = "Adult: the student and accused")]
    public void LawfulChoice_NoErrors(VictimAge age, bool parents, bool student, bool accused) =>
        Assert.That(Informing.Check(VictimKind.Student, age, parents, student, accused), Is.Empty);

    [Test]
    public void AdultStudent_ParentsInformed_RefusedOnTheField()
    {
        var errors = Informing.Check(VictimKind.Student, VictimAge.Adult, parents: true, student: true, accused: true);
        Assert.That(errors, Has.Count.EqualTo(1));
        Assert.That(errors[0].Field, Is.EqualTo("parties"));
        Assert.That(errors[0].Message, Does.Contain("adult").And.Contain("parents"));
    }

    [Test]
    public void MinorStudent_OnlyTheStudent_RefusedParentsRequired() =>
        Assert.That(Informing.Check(VictimKind.Student, VictimAge.Minor, false, true, true).Single().Message, Does.Contain("parents or guardians"));

    [Test]
    public void AdultStudent_StudentNotInformed_Refused() =>
        Assert.That(Informing.Check(VictimKind.Student, VictimAge.Adult, false, false, true).Single().Message, Does.Contain("the student must be informed"));

    [TestCase(VictimAge.Minor)]
    [TestCase(VictimAge.Adult)]
    public void AccusedNotInformed_RefusedForEveryVictim(VictimAge age) =>
        Assert.That(Informing.Check(VictimKind.Student, age, age == VictimAge.Minor, true, false).Select(e => e.Message),
            Has.Some.Contains("accused"));
}
