using System.Reflection;
using Microsoft.EntityFrameworkCore;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Reports;
using CaseHandling.Domain.Incidents;

namespace CaseHandling.Server.Infrastructure.Encryption;

/// <summary>
/// Every field that holds what someone wrote about people or events, sealed under its subject's data key, and
/// what the field becomes when the subject is erased. One table: sealing, opening and erasure all read it.
/// Everything else in these rows is a code, a date or an id: what the workflow and the anonymous counts need.
/// </summary>
public static class SealedFields
{
    public sealed record Field(string Property, string? Erased, Func<object, string?> Get, Action<object, string?> Set);

    /// <param name="SubjectProperty">The property holding the case or report id whose data key seals this row.</param>
    /// <param name="IsSubject">The row is the case or report itself: inserting it makes its data key.</param>
    public sealed record Spec(Type Type, string SubjectProperty, bool IsSubject, Func<object, Guid> Subject, Func<object, Guid> Row, IReadOnlyList<Field> Fields);

    public static readonly IReadOnlyList<Spec> Table =
    [
        For<Case>(nameof(Case.Id), isSubject: true, c => c.Id, c => c.Id,
            (nameof(Case.InformingImpossibleReason), null)),
        For<CaseEvent>(nameof(CaseEvent.CaseId), isSubject: false, e => e.CaseId, e => e.Id,
            (nameof(CaseEvent.DetailsJson), "{}")),
        For<Report>(nameof(Report.Id), isSubject: true, r => r.Id, r => r.Id,
            (nameof(Report.ContactName), null), (nameof(Report.ContactEmail), null), (nameof(Report.ContactPhone), null),
            (nameof(Report.WhatHappened), ""), (nameof(Report.WhenHappened), ""), (nameof(Report.Department), null),
            (nameof(Report.NoticeEmail), null), (nameof(Report.RatingComment), null)),
        For<ReportMessage>(nameof(ReportMessage.ReportId), isSubject: false, m => m.ReportId, m => m.Id,
            (nameof(ReportMessage.Text), "")),
        // An oral report's written account, every version (directive 2019/1937 art. 18).
        For<ReportAccountVersion>(nameof(ReportAccountVersion.ReportId), isSubject: false, v => v.ReportId, v => v.Id,
            (nameof(ReportAccountVersion.Text), "")),
        // Why someone opened a file's original (docs/EVIDENCE.md).
        For<ReportFileAccess>(nameof(ReportFileAccess.ReportId), isSubject: false, a => a.ReportId, a => a.Id,
            (nameof(ReportFileAccess.Reason), null)),
        // The accused as named (docs/MATCHING.md); their keyed hashes are deleted with the content.
        For<ReportAccused>(nameof(ReportAccused.ReportId), isSubject: false, a => a.ReportId, a => a.ReportId,
            (nameof(ReportAccused.Name), null), (nameof(ReportAccused.Email), null), (nameof(ReportAccused.StaffNumber), null)),
        // A registered safety incident (bill 36 777): what the school did, under the incident's own data key.
        For<Incident>(nameof(Incident.Id), isSubject: true, i => i.Id, i => i.Id,
            (nameof(Incident.WhatWasDone), "")),
    ];

    public static readonly IReadOnlyDictionary<Type, Spec> ByType = Table.ToDictionary(s => s.Type);

    /// <summary>Where a spec's rows live, by the EF model's names: the table, the subject's column, the sealed columns (in field order).</summary>
    public sealed record Columns(string Table, string Subject, IReadOnlyList<string> Fields);

    public static Columns ColumnsOf(Microsoft.EntityFrameworkCore.Metadata.IModel model, Spec spec)
    {
        var entity = model.FindEntityType(spec.Type) ?? throw new InvalidOperationException($"{spec.Type.Name} is not in the model.");
        return new Columns(entity.GetTableName()!, entity.FindProperty(spec.SubjectProperty)!.GetColumnName(),
            spec.Fields.Select(f => entity.FindProperty(f.Property)!.GetColumnName()).ToList());
    }

    /// <summary>The associated data of one sealed value: subject, row and field.</summary>
    public static string Context(Guid subject, Guid row, Spec spec, Field field) => $"{subject:N}/{row:N}/{spec.Type.Name}.{field.Property}";

    private static Spec For<T>(string subjectProperty, bool isSubject, Func<T, Guid> subject, Func<T, Guid> row, params (string Property, string? Erased)[] fields) =>
        new(typeof(T), subjectProperty, isSubject, o => subject((T)o), o => row((T)o), fields.Select(f =>
        {
            // The domain's setters are private: opening a sealed value writes the plaintext back the way EF does.
            var property = typeof(T).GetProperty(f.Property, BindingFlags.Public | BindingFlags.Instance)
                           ?? throw new InvalidOperationException($"{typeof(T).Name}.{f.Property} does not exist.");
            var setter = property.GetSetMethod(nonPublic: true) ?? throw new InvalidOperationException($"{typeof(T).Name}.{f.Property} has no setter.");
            var set = setter.CreateDelegate<Action<T, string?>>();
            var get = property.GetGetMethod()!.CreateDelegate<Func<T, string?>>();
            return new Field(f.Property, f.Erased, o => get((T)o), (o, v) => set((T)o, v));
        }).ToList());
}
