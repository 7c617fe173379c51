using CaseHandling.Domain.Reports;

namespace CaseHandling.Domain.Tests.Reports;

/// <summary>The usual variations of one identifier normalise alike; different identifiers stay different (docs/MATCHING.md).</summary>
public sealed class AccusedNormalizerTests
{
    [TestCase("Jan de Vries", "de jan vries")]
    [TestCase("  JAN   DE  VRIES ", "de jan vries")]
    [TestCase("de Vries, Jan", "de jan vries")]
    [TestCase("Jan-Willem Müller", "jan muller willem")]
    [TestCase("Jan Willem Muller", "jan muller willem")]
    [TestCase("Zoë O'Brien", "brien o zoe")]
    [TestCase("Ærøskøbing Straße", "aeroskobing strasse")]
    [TestCase("Łukasz Ĳsselmeer", "ijsselmeer lukasz")]
    public void Name_Variations_NormaliseAlike(string input, string expected) =>
        Assert.That(AccusedNormalizer.Name(input), Is.EqualTo(expected));

    [TestCase(null)]
    [TestCase("")]
    [TestCase("  ")]
    [TestCase(" - , . ")]
    public void Name_NothingOfAName_IsNull(string? input) => Assert.That(AccusedNormalizer.Name(input), Is.Null);

    [Test]
    public void Name_DifferentPeople_StayDifferent() =>
        Assert.That(AccusedNormalizer.Name("Jan de Vries"), Is.Not.EqualTo(AccusedNormalizer.Name("Jan de Vriest")));

    [TestCase("j.devries@uni.nl", "j.devries@uni.nl")]
    [TestCase("  J.DeVries@UNI.NL  ", "j.devries@uni.nl")]
    [TestCase("mailto:j.devries@uni.nl", "j.devries@uni.nl")]
    [TestCase("MAILTO:J.DEVRIES@UNI.NL?subject=hallo", "j.devries@uni.nl")]
    [TestCase("<j.devries@uni.nl>", "j.devries@uni.nl")]
    [TestCase("j.devries+hr@uni.nl", "j.devries@uni.nl")]
    [TestCase("j.devries@uni.nl.", "j.devries@uni.nl")]
    public void Email_UsualForms_NormaliseAlike(string input, string expected) =>
        Assert.That(AccusedNormalizer.Email(input), Is.EqualTo(expected));

    [Test]
    public void Email_DotsInTheLocalPart_AreKept() =>
        Assert.That(AccusedNormalizer.Email("jdevries@uni.nl"), Is.Not.EqualTo(AccusedNormalizer.Email("j.devries@uni.nl")));

    [TestCase("geen adres")]
    [TestCase("a@b@c.nl")]
    [TestCase("@uni.nl")]
    [TestCase("jan@")]
    [TestCase("+hr@uni.nl")]
    [TestCase("jan de vries@uni.nl")]
    public void Email_NotAnAddress_IsNull(string input) => Assert.That(AccusedNormalizer.Email(input), Is.Null);

    [TestCase("ab-12 345", "AB12345")]
    [TestCase(" ab.12.345 ", "AB12345")]
    [TestCase("AB12345", "AB12345")]
    [TestCase("007", "007")]
    public void StaffNumber_Separators_AreIgnored(string input, string expected) =>
        Assert.That(AccusedNormalizer.StaffNumber(input), Is.EqualTo(expected));

    [Test]
    public void Identifiers_NameWithoutInstitution_TakesTheReportsInstitution()
    {
        var report = Guid.NewGuid();
        var institution = Guid.NewGuid();
        var a = ReportAccused.For(report, new AccusedInput(" Jan de Vries ", null, null, null), institution, DateTimeOffset.UnixEpoch);
        Assert.That(a.InstitutionId, Is.EqualTo(institution));
        Assert.That(a.Identifiers(), Is.EqualTo(new[] { (AccusedIdentifierKind.NameAtInstitution, $"name\n{institution:N}\nde jan vries") }));
    }

    [Test]
    public void Identifiers_SameNameAtTwoInstitutions_Differ()
    {
        var (one, two) = (Guid.NewGuid(), Guid.NewGuid());
        var a = ReportAccused.For(Guid.NewGuid(), new AccusedInput("Jan de Vries", one, "jan@x.nl", null), one, DateTimeOffset.UnixEpoch).Identifiers();
        var b = ReportAccused.For(Guid.NewGuid(), new AccusedInput("Jan de Vries", two, "JAN@x.nl", null), two, DateTimeOffset.UnixEpoch).Identifiers();
        Assert.That(a.Single(i => i.Kind == AccusedIdentifierKind.NameAtInstitution), Is.Not.EqualTo(b.Single(i => i.Kind == AccusedIdentifierKind.NameAtInstitution)));
        Assert.That(a.Single(i => i.Kind == AccusedIdentifierKind.Email), Is.EqualTo(b.Single(i => i.Kind == AccusedIdentifierKind.Email)));
    }

    [Test]
    public void Identifiers_NothingNamed_IsEmpty()
    {
        var a = ReportAccused.For(Guid.NewGuid(), new AccusedInput(" ", null, "", null), Guid.NewGuid(), DateTimeOffset.UnixEpoch);
        Assert.Multiple(() =>
        {
            Assert.That(a.IsEmpty, Is.True);
            Assert.That(a.InstitutionId, Is.Null);
            Assert.That(a.Identifiers(), Is.Empty);
        });
    }
}
