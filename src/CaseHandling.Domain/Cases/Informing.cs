namespace CaseHandling.Domain.Cases;

/// <summary>
/// Step 4 (lid 2 of the sector's article): who the board informs before the aangifte follows the victim.
/// A minor: the parents or guardians ("ouders, voogden of verzorgers"), and the student may be informed as well.
/// An adult student: the student themself; informing the parents is not what the law asks and would disclose the
/// student's data to third parties without a basis (AVG art. 6), so it is refused. The accused: in every case.
/// </summary>
public static class Informing
{
    public const string Field = "parties";

    public const string AccusedMissing = "The accused must be informed too.";
    public const string AdultParents = "The student is an adult: inform the student, not the parents. Informing the parents would disclose the student's data without a legal basis.";
    public const string MinorParentsMissing = "The student is a minor: the parents or guardians must be informed (the student may be informed as well).";
    public const string AdultStudentMissing = "The student is an adult: the student must be informed.";

    /// <summary>The field errors for informing these parties about this victim; empty when the choice is lawful.</summary>
    public static IReadOnlyList<(string Field, string Message)> Check(VictimKind kind, VictimAge age, bool parents, bool student, bool accused)
    {
        var errors = new List<(string, string)>();
        if (!accused) errors.Add((Field, AccusedMissing));
        if (age == VictimAge.Adult && parents)
            errors.Add((Field, AdultParents));
        else if (kind == VictimKind.Student && age == VictimAge.Minor && !parents)
            errors.Add((Field, MinorParentsMissing));
        else if (kind == VictimKind.Student && age == VictimAge.Adult && !student)
            errors.Add((Field, AdultStudentMissing));
        return errors;
    }

    /// <summary>Which parties may be named at all for this victim (the form shows only these).</summary>
    public static (bool Parents, bool Student) Allowed(VictimAge age) => (age == VictimAge.Minor, true);
}
