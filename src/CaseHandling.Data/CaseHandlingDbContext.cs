using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Reports;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Conventions;
using Microsoft.EntityFrameworkCore.Metadata.Conventions.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Incidents;

namespace CaseHandling.Data;

public sealed class CaseHandlingDbContext(DbContextOptions<CaseHandlingDbContext> options)
    : IdentityDbContext<StaffUser>(options), IDataProtectionKeyContext
{
    /// <summary>A case's state as stored: its published name (WireName), which outlives a rename in the code.</summary>
    private static readonly ValueConverter<CaseState, string> StateNames = WireNames<CaseState>();
    private static readonly ValueConverter<Domain.Workflow.CaseTrigger, string> TriggerNames = WireNames<Domain.Workflow.CaseTrigger>();

    private static ValueConverter<T, string> WireNames<T>() where T : struct, Enum => new(v => WireName.Of(v), s => WireName.Parse<T>(s));

    /// <summary>
    /// The keys that protect sign-in cookies and bearer tokens, shared by every instance (API nodes behind a
    /// load balancer, restarts). They protect tokens, not case content.
    /// </summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public const string MigrationsAssembly = "CaseHandling.Migrations";

    /// <summary>EF's foreign-key indexes, but for the one no query reads (<see cref="ForeignKeyIndexes"/>).</summary>
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Conventions.Replace<ForeignKeyIndexConvention>(services =>
            new ForeignKeyIndexes(services.GetRequiredService<ProviderConventionSetBuilderDependencies>()));

    public DbSet<Institution> Institutions => Set<Institution>();
    public DbSet<Case> Cases => Set<Case>();
    public DbSet<Duty> Duties => Set<Duty>();
    public DbSet<CaseEvent> CaseEvents => Set<CaseEvent>();
    public DbSet<DecisionExplanation> DecisionExplanations => Set<DecisionExplanation>();
    public DbSet<Report> Reports => Set<Report>();
    public DbSet<ReportMessage> ReportMessages => Set<ReportMessage>();
    public DbSet<ReportAccountVersion> ReportAccountVersions => Set<ReportAccountVersion>();
    public DbSet<ReportFile> ReportFiles => Set<ReportFile>();
    public DbSet<ReportFileChunk> ReportFileChunks => Set<ReportFileChunk>();
    public DbSet<ReportFileAccess> ReportFileAccesses => Set<ReportFileAccess>();
    /// <summary>The accused as named, sealed (docs/MATCHING.md).</summary>
    public DbSet<ReportAccused> ReportAccused => Set<ReportAccused>();
    /// <summary>The keyed hashes of the accused's identifiers: what matching compares (docs/MATCHING.md).</summary>
    public DbSet<AccusedIdentifier> AccusedIdentifiers => Set<AccusedIdentifier>();
    /// <summary>The schools' registers of safety incidents (bill 36 777), sealed like case content.</summary>
    public DbSet<Incident> Incidents => Set<Incident>();
    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();
    public DbSet<IdempotentRequest> IdempotentRequests => Set<IdempotentRequest>();
    public DbSet<SystemSetting> Settings => Set<SystemSetting>();
    public DbSet<AuditEntry> Audit => Set<AuditEntry>();
    /// <summary>The keys proofs of filing are signed with (docs/RECEIPTS.md).</summary>
    public DbSet<ReceiptSigningKey> ReceiptSigningKeys => Set<ReceiptSigningKey>();

    /// <summary>The options every host uses: Npgsql, snake_case names, the migrations project.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, o => o.MigrationsAssembly(MigrationsAssembly))
            .UseSnakeCaseNamingConvention();

    protected override void OnModelCreating(ModelBuilder b)
    {
        base.OnModelCreating(b);

        b.HasSequence<long>("case_number_seq");
        b.HasSequence<long>("report_number_seq");
        b.HasSequence<long>("incident_number_seq");

        // One Identity role per StaffRole, with fixed ids so that migrations carry them.
        b.Entity<IdentityRole>().HasData(Enum.GetNames<StaffRole>().Select(n => new IdentityRole
        {
            Id = "role-" + n.ToLowerInvariant(), Name = n, NormalizedName = n.ToUpperInvariant(), ConcurrencyStamp = "role-" + n.ToLowerInvariant(),
        }));

        b.Entity<Institution>(e =>
        {
            e.Property(i => i.Name).HasMaxLength(200);
            e.Property(i => i.ContactEmail).HasMaxLength(320);
            e.Property(i => i.Sector).HasConversion<string>().HasMaxLength(8);
        });

        b.Entity<StaffUser>(e =>
        {
            e.Property(u => u.DisplayName).HasMaxLength(200);
            e.HasIndex(u => u.InstitutionId);
        });

        // Federated sign-in (docs/SIGN-IN.md): Identity's logins are (issuer, subject) → account. One identity per issuer
        // per account, so that an e-mail address that passed to someone else at the provider cannot link a second one.
        b.Entity<IdentityUserLogin<string>>().HasIndex(l => new { l.UserId, l.LoginProvider }).IsUnique()
            .HasDatabaseName("ix_asp_net_user_logins_user_id_login_provider");

        b.Entity<Case>(e =>
        {
            e.HasKey(c => c.Id);
            // Keys are made by the domain (UUIDv7); new children found through a navigation are inserts.
            e.Property(c => c.Id).ValueGeneratedNever();
            e.Property(c => c.Number).HasMaxLength(32)
                .HasDefaultValueSql("'CH-' || lpad(nextval('case_number_seq')::text, 6, '0')")
                .ValueGeneratedOnAdd()
                .HasSentinel("");
            e.HasIndex(c => c.Number).IsUnique();
            e.HasIndex(c => new { c.InstitutionId, c.OpenedAt });
            e.HasIndex(c => new { c.InspectorUserId, c.State, c.Coverage });
            // The inspector's attention list: their cases in one state, most recently changed first, read in order.
            e.HasIndex(c => new { c.InspectorUserId, c.State, c.LastChangedAt }).HasDatabaseName("ix_cases_inspector_state_changed");
            // The inspectorate's case list (every case with an inspector), newest first, paged by (opened_at, id).
            e.HasIndex(c => new { c.OpenedAt, c.Id }).IsDescending(true, true).HasFilter("inspector_user_id IS NOT NULL")
                .HasDatabaseName("ix_cases_inspectorate_opened");
            e.HasOne<Institution>().WithMany().HasForeignKey(c => c.InstitutionId).OnDelete(DeleteBehavior.Restrict);
            foreach (var name in new[] { nameof(Case.Sector), nameof(Case.IncidentType), nameof(Case.ReportedIncidentType), nameof(Case.VictimKind),
                         nameof(Case.VictimAge), nameof(Case.AccusedRole), nameof(Case.OpenedVia), nameof(Case.Coverage), nameof(Case.FollowUp) })
                e.Property(name).HasConversion<string>().HasMaxLength(40);
            e.Property(c => c.State).HasConversion(StateNames).HasMaxLength(40);
            e.Property(c => c.RegimeId).HasMaxLength(40);
            e.Property(c => c.CoverageReason).HasMaxLength(400);
            e.Property(c => c.OpenedByUserId).HasMaxLength(64);
            e.Property(c => c.InspectorUserId).HasMaxLength(64);
            // Sealed content (docs/ENCRYPTION.md): text, as the ciphertext is longer than what was written.
            e.Property(c => c.InformingImpossibleReason).HasColumnType("text");
            e.Property(c => c.ClosedFrom).HasConversion(StateNames).HasMaxLength(40);
            // As the timeline names it (the event kind), so the column and the events agree.
            e.Property(c => c.LastConclusion).HasConversion(TriggerNames).HasMaxLength(40);
            // The retention job reads closed cases that are not erased and not on hold.
            e.HasIndex(c => c.ClosedAt).HasFilter("erased_at IS NULL AND legal_hold = false").HasDatabaseName("ix_cases_retention");
            e.Property(c => c.Version).IsRowVersion(); // xmin
            e.Ignore(c => c.Facts);
            e.HasMany(c => c.Duties).WithOne().HasForeignKey(d => d.CaseId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(c => c.Events).WithOne().HasForeignKey(ev => ev.CaseId).OnDelete(DeleteBehavior.Cascade);
            e.Navigation(c => c.Duties).HasField("_duties").UsePropertyAccessMode(PropertyAccessMode.Field);
            e.Navigation(c => c.Events).HasField("_events").UsePropertyAccessMode(PropertyAccessMode.Field);
            // Every decision's explanation, kept beside the earlier ones (a reclassification adds, never overwrites).
            e.HasMany(c => c.Explanations).WithOne().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
            e.Navigation(c => c.Explanations).HasField("_explanations").UsePropertyAccessMode(PropertyAccessMode.Field);
        });

        b.Entity<DecisionExplanation>(e =>
        {
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.HasIndex(x => new { x.CaseId, x.Sequence }).IsUnique();
            e.Property(x => x.Decision).HasMaxLength(40);
            // Rules, dates and classifications only, no content of the case: plain jsonb, not sealed.
            e.Property(x => x.Json).HasColumnType("jsonb");
        });

        b.Entity<Duty>(e =>
        {
            e.HasKey(d => d.Id);
            // Keys are made by the domain (UUIDv7); new children found through a navigation are inserts.
            e.Property(d => d.Id).ValueGeneratedNever();
            e.Property(d => d.Kind).HasConversion<string>().HasMaxLength(40);
            e.Property(d => d.Responsible).HasConversion<string>().HasMaxLength(40);
            e.Property(d => d.LegalBasis).HasMaxLength(200);
            e.Property(d => d.RegimeId).HasMaxLength(40);
            // No index by due time alone (migration DutiesWithoutDueIndex, docs/PERFORMANCE.md): the sweep reads open duties by their
            // next action (ix_duties_next_action), each list by its owner (institution, assignee, report, case), the open-duty gauge
            // by ix_duties_next_action as well; at 1,000,000 cases no query used it, and every new duty wrote an entry into it.
            // A board's open duties, ordered by due time, without touching cases. A report's service level belongs to no
            // institution (the meldpunt's): it is left out, one index entry fewer per accepted report (docs/PERFORMANCE.md).
            e.HasIndex(d => new { d.InstitutionId, d.DueAt }).HasFilter("met_at IS NULL AND institution_id IS NOT NULL").HasDatabaseName("ix_duties_open_institution_due_at");
            // A duty belongs to a case, a report or an incident: each index holds only the duties it can find, not a NULL entry
            // for every other duty: a report's duty writes no entry into the case's or the incident's index (docs/PERFORMANCE.md); a lookup
            // by id (= $1, = ANY($1), a join) implies IS NOT NULL, so PostgreSQL uses the index as before.
            e.HasIndex(d => d.CaseId).HasFilter("case_id IS NOT NULL");
            e.HasIndex(d => d.ReportId).HasFilter("report_id IS NOT NULL");
            e.HasIndex(d => d.IncidentId).HasFilter("incident_id IS NOT NULL");
            e.Property(d => d.AssigneeUserId).HasMaxLength(64);
            // The inspector's queue: their open step-3 duties in due order (only duties with an assignee are ever looked up by it).
            e.HasIndex(d => new { d.AssigneeUserId, d.DueAt }).HasFilter("met_at IS NULL AND assignee_user_id IS NOT NULL").HasDatabaseName("ix_duties_open_assignee_due_at");
            // The deadline sweep: open duties whose next reminder or escalation has come (ix_duties_next_action).
            e.HasIndex(d => d.NextActionAt).HasFilter("met_at IS NULL").HasDatabaseName("ix_duties_next_action");
            // The meldpunt's inbox: open service levels of reports in due order, without walking the cases' duties.
            e.HasIndex(d => new { d.DueAt, d.ReportId }).HasFilter("met_at IS NULL AND report_id IS NOT NULL").HasDatabaseName("ix_duties_open_report_due_at");
            e.Property(d => d.ReminderTimes).HasColumnType("timestamp with time zone[]");
            // A duty belongs to exactly one case, one report or one registered incident.
            e.ToTable(t => t.HasCheckConstraint("ck_duties_one_subject", "num_nonnulls(case_id, report_id, incident_id) = 1"));
        });

        b.Entity<AuditEntry>(e =>
        {
            e.ToTable("audit_entries");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.SubjectId, x.Sequence }).IsUnique();
            e.Property(x => x.UserId).HasMaxLength(64);
            e.Property(x => x.Role).HasMaxLength(40);
            e.Property(x => x.Action).HasMaxLength(80);
            e.Property(x => x.PreviousHash).HasMaxLength(32);
            e.Property(x => x.Hash).HasMaxLength(32);
        });

        b.Entity<ReceiptSigningKey>(e =>
        {
            e.ToTable("receipt_signing_keys");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).HasMaxLength(40);
            e.Property(x => x.KekId).HasMaxLength(100);
            e.Property(x => x.SealedPrivateKey).HasMaxLength(200);
        });

        b.Entity<SystemSetting>(e =>
        {
            e.ToTable("system_settings");
            e.HasKey(x => x.Key);
            e.Property(x => x.Key).HasMaxLength(100);
            e.Property(x => x.Value).HasMaxLength(4000);
            e.Property(x => x.UpdatedBy).HasMaxLength(64);
        });

        b.Entity<IdempotentRequest>(e =>
        {
            e.ToTable("idempotent_requests");
            e.HasKey(r => r.KeyHash);
            // The daily clean-up deletes by age.
            e.HasIndex(r => r.CreatedAt);
        });

        b.Entity<OutboxMessage>(e =>
        {
            e.ToTable("outbox_messages");
            e.HasKey(m => m.Id);
            e.Property(m => m.Id).ValueGeneratedNever();
            e.Property(m => m.ToAddress).HasMaxLength(320);
            e.Property(m => m.Subject).HasMaxLength(300);
            e.Property(m => m.Body).HasMaxLength(4000);
            e.Property(m => m.Kind).HasMaxLength(40);
            e.Property(m => m.Reference).HasMaxLength(40);
            e.Property(m => m.LastError).HasMaxLength(200);
            // Delivery reads unsent messages whose attempt is due.
            e.HasIndex(m => m.NextAttemptAt).HasFilter("sent_at IS NULL AND failed_at IS NULL").HasDatabaseName("ix_outbox_pending");
            // The administrator's list of mail that could not be delivered.
            e.HasIndex(m => m.FailedAt).HasFilter("failed_at IS NOT NULL").HasDatabaseName("ix_outbox_failed");
        });

        b.Entity<Report>(e =>
        {
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).ValueGeneratedNever();
            e.Property(r => r.Number).HasMaxLength(32)
                .HasDefaultValueSql("'M-' || lpad(nextval('report_number_seq')::text, 6, '0')")
                .ValueGeneratedOnAdd()
                .HasSentinel("");
            e.HasIndex(r => r.Number).IsUnique();
            // The receipt code's SHA-256 is the only way to find a report from the reporter's side.
            e.Property(r => r.ReceiptHash).HasMaxLength(32);
            e.HasIndex(r => r.ReceiptHash).IsUnique();
            // No index by status and submission time: no query reads reports that way (the inbox goes through the open
            // duties and ix_reports_open_activity, the counts read every report), and every accepted report wrote an entry
            // into it (migration ReportsWithoutStatusIndex; at 1,000,000 cases the benchmark's queries used it once).
            // The meldpunt's inbox after the reports with an open service level: the others, most recently active first.
            e.HasIndex(r => new { r.LastActivityAt, r.Id }).IsDescending(true, true).HasFilter("status <> 'Closed'").HasDatabaseName("ix_reports_open_activity");
            e.HasOne<Institution>().WithMany().HasForeignKey(r => r.InstitutionId).OnDelete(DeleteBehavior.Restrict);
            foreach (var name in new[] { nameof(Report.ReporterKind), nameof(Report.IncidentType), nameof(Report.AccusedRole), nameof(Report.VictimWho),
                         nameof(Report.VictimAge), nameof(Report.Destination), nameof(Report.Status), nameof(Report.Channel) })
                e.Property(name).HasConversion<string>().HasMaxLength(40);
            e.Property(r => r.Language).HasMaxLength(8);
            // Sealed content (docs/ENCRYPTION.md): lengths are checked on input; the ciphertext is longer.
            foreach (var name in new[] { nameof(Report.ContactName), nameof(Report.ContactEmail), nameof(Report.ContactPhone),
                         nameof(Report.WhatHappened), nameof(Report.WhenHappened), nameof(Report.Department), nameof(Report.NoticeEmail),
                         nameof(Report.RatingComment) })
                e.Property(name).HasColumnType("text");
            // Retention reads closed reports only (closed_at < cutoff); an open report is not in the index.
            e.HasIndex(r => r.ClosedAt).HasFilter("erased_at IS NULL AND legal_hold = false AND closed_at IS NOT NULL").HasDatabaseName("ix_reports_retention");
            e.Property(r => r.Version).IsRowVersion();
            e.Ignore(r => r.StatutoryForwarding);
            e.Ignore(r => r.IsOral);
            e.HasMany(r => r.Files).WithOne().HasForeignKey(f => f.ReportId).OnDelete(DeleteBehavior.Cascade);
            e.Navigation(r => r.Files).HasField("_files").UsePropertyAccessMode(PropertyAccessMode.Field);
            e.HasMany(r => r.AccountVersions).WithOne().HasForeignKey(v => v.ReportId).OnDelete(DeleteBehavior.Cascade);
            e.Navigation(r => r.AccountVersions).HasField("_account").UsePropertyAccessMode(PropertyAccessMode.Field);
            e.HasMany(r => r.Messages).WithOne().HasForeignKey(m => m.ReportId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(r => r.Duties).WithOne().HasForeignKey(d => d.ReportId).OnDelete(DeleteBehavior.Cascade);
            e.Navigation(r => r.Messages).HasField("_messages").UsePropertyAccessMode(PropertyAccessMode.Field);
            e.Navigation(r => r.Duties).HasField("_duties").UsePropertyAccessMode(PropertyAccessMode.Field);
        });

        b.Entity<Incident>(e =>
        {
            e.HasKey(i => i.Id);
            e.Property(i => i.Id).ValueGeneratedNever();
            e.Property(i => i.Number).HasMaxLength(32)
                .HasDefaultValueSql("'VI-' || lpad(nextval('incident_number_seq')::text, 6, '0')")
                .ValueGeneratedOnAdd()
                .HasSentinel("");
            e.HasIndex(i => i.Number).IsUnique();
            e.HasOne<Institution>().WithMany().HasForeignKey(i => i.InstitutionId).OnDelete(DeleteBehavior.Restrict);
            foreach (var name in new[] { nameof(Incident.Sector), nameof(Incident.Category), nameof(Incident.Place), nameof(Incident.Harmed),
                         nameof(Incident.ReportReason), nameof(Incident.ReportDelivery) })
                e.Property(name).HasConversion<string>().HasMaxLength(40);
            e.Property(i => i.DecisionWhy).HasMaxLength(400);
            e.Property(i => i.RegisteredByUserId).HasMaxLength(64);
            e.Property(i => i.PupilKeyVersion).HasMaxLength(64);
            e.Property(i => i.PupilHash).HasMaxLength(32);
            e.Property(i => i.WhatWasDone).HasColumnType("text"); // sealed
            // The register of one school, newest first; recurrence looks up a pupil's hash within one school.
            e.HasIndex(i => new { i.InstitutionId, i.RegisteredAt });
            e.HasIndex(i => new { i.InstitutionId, i.PupilHash }).HasFilter("pupil_hash IS NOT NULL");
            // The Inspectorate's list: reports received, newest first.
            e.HasIndex(i => i.ReportRecordedAt).HasFilter("report_recorded_at IS NOT NULL");
            e.HasOne<Case>().WithMany().HasForeignKey(i => i.LinkedCaseId).OnDelete(DeleteBehavior.Restrict);
            e.Property(i => i.Version).IsRowVersion();
            e.HasMany(i => i.Duties).WithOne().HasForeignKey(d => d.IncidentId).OnDelete(DeleteBehavior.Cascade);
            e.Navigation(i => i.Duties).HasField("_duties").UsePropertyAccessMode(PropertyAccessMode.Field);
        });

        b.Entity<ReportAccused>(e =>
        {
            // One row per report that names an accused, sealed under the report's data key (docs/MATCHING.md).
            e.HasKey(a => a.ReportId);
            e.HasOne<Report>().WithOne().HasForeignKey<ReportAccused>(a => a.ReportId).OnDelete(DeleteBehavior.Cascade);
            foreach (var name in new[] { nameof(Domain.Reports.ReportAccused.Name), nameof(Domain.Reports.ReportAccused.Email), nameof(Domain.Reports.ReportAccused.StaffNumber) })
                e.Property(name).HasColumnType("text"); // sealed
        });

        b.Entity<AccusedIdentifier>(e =>
        {
            // Keyed hashes only: the plain identifier is in report_accused, sealed.
            e.HasKey(i => i.Id);
            e.Property(i => i.Id).ValueGeneratedNever();
            e.Property(i => i.Kind).HasConversion<string>().HasMaxLength(40);
            e.Property(i => i.KeyVersion).HasMaxLength(64);
            e.Property(i => i.Hash).HasMaxLength(32);
            e.HasOne<Report>().WithMany().HasForeignKey(i => i.ReportId).OnDelete(DeleteBehavior.Cascade);
            // Matching joins identifiers on (kind, hash); rotation finds those of an old key version.
            e.HasIndex(i => new { i.Kind, i.Hash });
            e.HasIndex(i => i.ReportId);
            e.HasIndex(i => i.KeyVersion);
        });

        b.Entity<ReportMessage>(e =>
        {
            e.HasKey(m => m.Id);
            e.Property(m => m.Id).ValueGeneratedNever();
            e.HasIndex(m => new { m.ReportId, m.Sequence }).IsUnique();
            e.Property(m => m.Author).HasConversion<string>().HasMaxLength(20);
            e.Property(m => m.Kind).HasConversion<string>().HasMaxLength(20);
            e.Property(m => m.HandlerUserId).HasMaxLength(64);
            e.Property(m => m.Text).HasColumnType("text"); // sealed
        });

        b.Entity<ReportAccountVersion>(e =>
        {
            // An oral report's written account, each version kept (directive 2019/1937 art. 18 lid 2–4).
            e.HasKey(v => v.Id);
            e.Property(v => v.Id).ValueGeneratedNever();
            e.HasIndex(v => new { v.ReportId, v.Number }).IsUnique();
            e.Property(v => v.Author).HasConversion<string>().HasMaxLength(20);
            e.Property(v => v.HandlerUserId).HasMaxLength(64);
            e.Property(v => v.Text).HasColumnType("text"); // sealed
        });

        b.Entity<ReportFile>(e =>
        {
            // What can be shown of a file without opening it (docs/EVIDENCE.md); its copies are in report_file_chunks.
            e.HasKey(f => f.Id);
            e.Property(f => f.Id).ValueGeneratedNever();
            e.HasIndex(f => new { f.ReportId, f.Number }).IsUnique();
            e.Property(f => f.Type).HasConversion<string>().HasMaxLength(20);
            e.Property(f => f.CleanedType).HasConversion<string>().HasMaxLength(20);
            e.Property(f => f.Removed).HasConversion<int>();
            e.Property(f => f.Sha256).HasMaxLength(32);
        });

        b.Entity<ReportFileAccess>(e =>
        {
            // Who opened which copy of a file, when, and (for the original) why; the reason sealed.
            e.HasKey(a => a.Id);
            e.Property(a => a.Id).ValueGeneratedNever();
            e.HasIndex(a => a.FileId);
            e.HasOne<ReportFile>().WithMany().HasForeignKey(a => a.FileId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Report>().WithMany().HasForeignKey(a => a.ReportId).OnDelete(DeleteBehavior.Cascade);
            e.Property(a => a.UserId).HasMaxLength(64);
            e.Property(a => a.Reason).HasColumnType("text"); // sealed
        });

        b.Entity<ReportFileChunk>(e =>
        {
            // Sealed chunks, written and read one at a time; a file's rows go with it, a report's files with the report.
            e.HasKey(c => new { c.FileId, c.Copy, c.Sequence });
            e.HasOne<ReportFile>().WithMany().HasForeignKey(c => c.FileId).OnDelete(DeleteBehavior.Cascade);
            // Stored as it is: sealed bytes do not compress (TOAST would try), so the column keeps them out of line uncompressed.
            e.Property(c => c.Data).HasColumnType("bytea");
        });

        b.Entity<CaseEvent>(e =>
        {
            e.HasKey(ev => ev.Id);
            // Keys are made by the domain (UUIDv7); new children found through a navigation are inserts.
            e.Property(ev => ev.Id).ValueGeneratedNever();
            e.HasIndex(ev => new { ev.CaseId, ev.Sequence }).IsUnique();
            e.Property(ev => ev.Kind).HasMaxLength(40);
            e.Property(ev => ev.ActorUserId).HasMaxLength(64);
            e.Property(ev => ev.ActorRole).HasConversion<string>().HasMaxLength(40);
            e.Property(ev => ev.FromState).HasConversion(StateNames).HasMaxLength(40);
            e.Property(ev => ev.ToState).HasConversion(StateNames).HasMaxLength(40);
            // Sealed JSON (docs/ENCRYPTION.md), so text rather than jsonb.
            e.Property(ev => ev.DetailsJson).HasColumnType("text");
        });
    }
}
