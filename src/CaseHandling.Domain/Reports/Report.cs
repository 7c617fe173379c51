using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Common;
using CaseHandling.Domain.Duties;

namespace CaseHandling.Domain.Reports;

/// <summary>What a reporter submits. Contact details only when not anonymous.</summary>
public sealed record ReportInput(
    ReporterKind ReporterKind,
    bool Anonymous,
    string? ContactName,
    string? ContactEmail,
    string? ContactPhone,
    IncidentType IncidentType,
    string WhatHappened,
    string WhenHappened,
    Guid InstitutionId,
    string? Department,
    AccusedRole AccusedRole,
    VictimWho VictimWho,
    VictimAgeAnswer VictimAge,
    Destination Destination,
    string? NoticeEmail = null,
    string Language = ReporterLanguage.Dutch);

/// <summary>
/// A report to the independent meld-/steunpunt. Support first: it is not a complaint or an aangifte,
/// and it reaches the institution's board only with the reporter's consent, except where a staff
/// member's own duty to inform the board applies (WHW art. 1.20 lid 3 and its counterparts).
/// The reporter is known by the receipt code's hash and nothing else: no IP address, user agent or account.
/// </summary>
public sealed class Report
{
    private readonly List<ReportMessage> _messages = [];
    private readonly List<Duty> _duties = [];
    private readonly List<ReportAccountVersion> _account = [];
    private readonly List<ReportFile> _files = [];

    private Report() { } // EF

    public Guid Id { get; private set; }
    /// <summary>The handler's reference, e.g. "M-000042"; assigned by the database. Not shown to the reporter.</summary>
    public string Number { get; private set; } = "";
    public byte[] ReceiptHash { get; private set; } = [];
    public ReporterKind ReporterKind { get; private set; }
    public bool Anonymous { get; private set; }
    public string? ContactName { get; private set; }
    public string? ContactEmail { get; private set; }
    public string? ContactPhone { get; private set; }
    public IncidentType IncidentType { get; private set; }
    public string WhatHappened { get; private set; } = "";
    public string WhenHappened { get; private set; } = "";
    public Guid InstitutionId { get; private set; }
    public string? Department { get; private set; }
    public AccusedRole AccusedRole { get; private set; }
    public VictimWho VictimWho { get; private set; }
    public VictimAgeAnswer VictimAge { get; private set; }
    public Destination Destination { get; private set; }
    public ReportStatus Status { get; private set; }
    public DateTimeOffset SubmittedAt { get; private set; }
    public DateTimeOffset LastActivityAt { get; private set; }
    public ForwardItems ConsentItems { get; private set; }
    public DateTimeOffset? ConsentGivenAt { get; private set; }
    /// <summary>When the reporter last withdrew consent; the handler sees that it was withdrawn, and when.</summary>
    public DateTimeOffset? ConsentWithdrawnAt { get; private set; }
    public ForwardItems ForwardedItems { get; private set; }
    public DateTimeOffset? ForwardedAt { get; private set; }
    public Guid? ForwardedCaseId { get; private set; }
    /// <summary>When the meldpunt closed the report; the retention period runs from here.</summary>
    public DateTimeOffset? ClosedAt { get; private set; }
    /// <summary>A legal hold keeps the report from erasure when its retention period ends.</summary>
    public bool LegalHold { get; private set; }
    /// <summary>When the retention job erased the content and destroyed the report's data key.</summary>
    public DateTimeOffset? ErasedAt { get; private set; }
    /// <summary>
    /// Where to send the one fixed notice "there is a new message at the meldpunt" (docs/MELDPUNT.md): optional, for
    /// anonymous reporters too. Sealed; never shown to a handler; removed by the reporter at will and when the report closes.
    /// </summary>
    public string? NoticeEmail { get; private set; }
    /// <summary>
    /// How it went, in the reporter's words (the policy memo asks how satisfied students are with the handling): three
    /// answers from 1 to 5, given once, after the meldpunt's feedback or its closing. Codes, kept for the figures after
    /// erasure; the optional line (<see cref="RatingComment"/>) is sealed as report content is.
    /// </summary>
    public int? RatingTakenSeriously { get; private set; }
    public int? RatingKeptInformed { get; private set; }
    public int? RatingWouldReportAgain { get; private set; }
    public string? RatingComment { get; private set; }
    public DateTimeOffset? RatedAt { get; private set; }
    /// <summary>How the report came in: online, or told to a handler by phone or in a meeting (directive 2019/1937 art. 9 lid 2).</summary>
    public ReportChannel Channel { get; private set; }
    /// <summary>The language the reporter used (<see cref="ReporterLanguage"/>): the handler may answer in it. Nothing is translated.</summary>
    public string Language { get; private set; } = ReporterLanguage.Dutch;
    /// <summary>An oral report was recorded, with the reporter's consent (art. 18 lid 2 sub a); the recording itself is kept elsewhere until files are taken.</summary>
    public bool RecordingExists { get; private set; }
    /// <summary>The version of the written account the reporter approved, and when (art. 18 lid 2 and 4: check, correct and agree).</summary>
    public int? AccountApprovedVersion { get; private set; }
    public DateTimeOffset? AccountApprovedAt { get; private set; }
    public uint Version { get; private set; }

    public bool IsOral => Channel != ReportChannel.Online;
    /// <summary>Every version of an oral report's written account, the first the handler's; the last is <see cref="WhatHappened"/>.</summary>
    public IReadOnlyList<ReportAccountVersion> AccountVersions => _account;
    /// <summary>The files the reporter attached (docs/EVIDENCE.md): each kept as sent and as a cleaned copy, both sealed.</summary>
    public IReadOnlyList<ReportFile> Files => _files;
    public IReadOnlyList<ReportMessage> Messages => _messages;
    public IReadOnlyList<Duty> Duties => _duties;

    /// <summary>
    /// A staff member reporting a possible zedenmisdrijf by a met taken belast persoon: this report is their
    /// own legal notification to the board (step 1, lid 3) and is forwarded regardless of consent.
    /// </summary>
    public static bool StaffDutyApplies(ReporterKind reporter, IncidentType type, AccusedRole accused) =>
        reporter == ReporterKind.StaffMember && type == IncidentType.Zedenmisdrijf && accused == AccusedRole.MetTakenBelastPersoon;

    public bool StatutoryForwarding => StaffDutyApplies(ReporterKind, IncidentType, AccusedRole);

    /// <param name="id">The report's id when the caller has one ready (a data key reserved for it); a new UUIDv7 otherwise.</param>
    public static Report Submit(ReportInput input, byte[] receiptHash, DutyRules rules, DateTimeOffset now, Guid? id = null)
    {
        var r = new Report
        {
            Id = id ?? Guid.CreateVersion7(now),
            ReceiptHash = receiptHash,
            ReporterKind = input.ReporterKind,
            Anonymous = input.Anonymous,
            ContactName = input.Anonymous ? null : input.ContactName,
            ContactEmail = input.Anonymous ? null : input.ContactEmail,
            ContactPhone = input.Anonymous ? null : input.ContactPhone,
            IncidentType = input.IncidentType,
            WhatHappened = input.WhatHappened,
            WhenHappened = input.WhenHappened,
            InstitutionId = input.InstitutionId,
            Department = input.Department,
            AccusedRole = input.AccusedRole,
            VictimWho = input.VictimWho,
            VictimAge = input.VictimAge,
            Destination = input.Destination,
            NoticeEmail = input.NoticeEmail,
            Language = ReporterLanguage.Parse(input.Language) ?? ReporterLanguage.Dutch,
            Status = ReportStatus.Received,
            SubmittedAt = now,
            LastActivityAt = now,
        };
        r.OpenDuty(DutyKind.MeldpuntAcknowledgement, rules, now);
        return r;
    }

    /// <summary>
    /// A report told by phone or in a meeting, which the handler writes down on the reporter's behalf (directive 2019/1937
    /// art. 9 lid 2 and art. 18 lid 2–4). It counts as received at the call: the 7-day acknowledgement runs from then, not
    /// from the typing. The handler's account is version 1; the reporter reads it with the code, corrects and approves it.
    /// </summary>
    /// <summary>How long after a call its report may still be recorded with the call's time: past it, the 7-day acknowledgement would be gone.</summary>
    public static readonly TimeSpan OralRecordingWindow = TimeSpan.FromDays(7);
    public const string OralRecordedTooLate = "Within 7 days of the call or meeting: record an oral report when it is given.";

    public static Report RecordOral(ReportInput input, ReportChannel channel, DateTimeOffset receivedAt, bool recordingExists, string handlerUserId,
        byte[] receiptHash, DutyRules rules, DateTimeOffset now, Guid? id = null)
    {
        if (channel == ReportChannel.Online) throw new ArgumentException("An oral report comes in by phone or in a meeting.", nameof(channel));
        var r = Submit(input, receiptHash, rules, receivedAt, id);
        r.Channel = channel;
        r.RecordingExists = recordingExists;
        r.LastActivityAt = now;
        r._account.Add(new ReportAccountVersion(Guid.CreateVersion7(now), r.Id, 1, MessageAuthor.Handler, handlerUserId, input.WhatHappened, now));
        return r;
    }

    /// <summary>
    /// A new version of an oral report's account: the reporter's correction, or the handler's revision. Until the reporter
    /// approves; after that, anything more comes as a message. Every version is kept; the newest is the report's text.
    /// </summary>
    public Result ReviseAccount(MessageAuthor author, string? handlerUserId, string text, DateTimeOffset now)
    {
        if (AccountStepRefused("CorrectAccount") is { } refused) return refused;
        _account.Add(new ReportAccountVersion(Guid.CreateVersion7(now), Id, _account.Count + 1, author, author == MessageAuthor.Handler ? handlerUserId : null, text, now));
        WhatHappened = text;
        LastActivityAt = now;
        return Result.Success();
    }

    /// <summary>
    /// The reporter agrees to the account (art. 18 lid 2 sub b, lid 4). They name the version they read: one written
    /// since (a handler's revision) is not approved unseen.
    /// </summary>
    public Result ApproveAccount(int version, DateTimeOffset now)
    {
        if (AccountStepRefused("ApproveAccount") is { } refused) return refused;
        if (version != _account.Count) return new StepNotAllowed($"AccountVersion{_account.Count}", "ApproveAccount", ["ApproveAccount", "CorrectAccount"]);
        AccountApprovedVersion = version;
        AccountApprovedAt = now;
        LastActivityAt = now;
        return Result.Success();
    }

    private StepNotAllowed? AccountStepRefused(string attempted) =>
        !IsOral ? new StepNotAllowed(Channel.ToString(), attempted, [])
        : Status == ReportStatus.Closed ? NotAllowed(attempted)
        : AccountApprovedAt is not null ? new StepNotAllowed("AccountApproved", attempted, ["ReporterMessage"])
        : null;

    /// <summary>
    /// The reporter attaches a file (its copies are stored by the caller, under <paramref name="file"/>'s id). Refused on a
    /// closed report, and past the count or the total the limits allow, the withdrawn files not counted.
    /// </summary>
    public Result AttachFile(ReportFile file, Evidence.EvidenceLimits limits, DateTimeOffset now)
    {
        if (Status == ReportStatus.Closed) return NotAllowed("AttachFile");
        var kept = _files.Where(f => f.WithdrawnAt is null).ToList();
        if (kept.Count >= limits.MaxFiles) return ValidationFailed.Single("file", $"At most {limits.MaxFiles} files per report.");
        if (kept.Sum(f => f.Size) + file.Size > limits.MaxTotalBytes)
            return ValidationFailed.Single("file", $"At most {limits.MaxTotalBytes / (1024 * 1024)} MB of files per report.");
        file.Number = _files.Count + 1;
        _files.Add(file);
        LastActivityAt = now;
        return Result.Success();
    }

    /// <summary>The reporter withdraws a file before anyone at the meldpunt read it; after that, it is part of the report.</summary>
    public Result WithdrawFile(int number, DateTimeOffset now)
    {
        if (Status == ReportStatus.Closed) return NotAllowed("WithdrawFile");
        var file = _files.FirstOrDefault(f => f.Number == number);
        if (file is null) return new NotFound("File");
        if (file.WithdrawnAt is not null) return new StepNotAllowed("Withdrawn", "WithdrawFile", []);
        if (file.FirstReadAt is not null) return new StepNotAllowed("Read", "WithdrawFile", []);
        file.Withdraw(now);
        LastActivityAt = now;
        return Result.Success();
    }

    public Result AddReporterMessage(string text, DateTimeOffset now)
    {
        if (Status == ReportStatus.Closed) return NotAllowed("ReporterMessage");
        _messages.Add(new ReportMessage(Guid.CreateVersion7(now), Id, _messages.Count + 1, MessageAuthor.Reporter, null, null, text, now));
        LastActivityAt = now;
        return Result.Success();
    }

    /// <summary>A handler's message. The acknowledgement meets the 7-day service level and starts the 3-month one; feedback meets that.</summary>
    public Result AddHandlerMessage(HandlerMessageKind kind, string text, string handlerUserId, DutyRules rules, DateTimeOffset now)
    {
        if (Status == ReportStatus.Closed) return NotAllowed(kind.ToString());
        _messages.Add(new ReportMessage(Guid.CreateVersion7(now), Id, _messages.Count + 1, MessageAuthor.Handler, kind, handlerUserId, text, now));
        LastActivityAt = now;
        if (Status == ReportStatus.Received) Status = ReportStatus.InProgress;
        switch (kind)
        {
            case HandlerMessageKind.Acknowledgement:
                Meet(DutyKind.MeldpuntAcknowledgement, now);
                // Art. 9 lid 1 sub f: feedback within three months of the acknowledgement.
                if (_duties.All(d => d.Kind != DutyKind.MeldpuntFeedback)) OpenDuty(DutyKind.MeldpuntFeedback, rules, now);
                break;
            case HandlerMessageKind.Feedback:
                Meet(DutyKind.MeldpuntAcknowledgement, now);
                Meet(DutyKind.MeldpuntFeedback, now);
                break;
            case HandlerMessageKind.Message:
                break;
        }
        return Result.Success();
    }

    /// <summary>The reporter leaves (or changes) the address for the notice of a reply; an open report only.</summary>
    public Result SetNoticeEmail(string email, DateTimeOffset now)
    {
        if (Status == ReportStatus.Closed) return NotAllowed("SetNoticeEmail");
        NoticeEmail = email;
        LastActivityAt = now;
        return Result.Success();
    }

    /// <summary>The reporter removes the address: no notice is sent from now on, also not for a message already written.</summary>
    public void RemoveNoticeEmail() => NoticeEmail = null;

    /// <summary>Whether a handler's message is to be announced to the reporter by the one fixed notice.</summary>
    public bool WantsNotice => NoticeEmail is not null && Status != ReportStatus.Closed;

    /// <summary>The reporter may rate the handling once the meldpunt gave its feedback or closed the report, and only once.</summary>
    public bool CanRate => RatedAt is null && (Status == ReportStatus.Closed || _messages.Any(m => m.Kind == HandlerMessageKind.Feedback));

    public Result Rate(int takenSeriously, int keptInformed, int wouldReportAgain, string? comment, DateTimeOffset now)
    {
        if (!CanRate) return new StepNotAllowed(RatedAt is null ? Status.ToString() : "Rated", "Rate", []);
        RatingTakenSeriously = takenSeriously;
        RatingKeptInformed = keptInformed;
        RatingWouldReportAgain = wouldReportAgain;
        RatingComment = comment;
        RatedAt = now;
        return Result.Success();
    }

    /// <summary>The reporter consents to forwarding and chooses what is forwarded.</summary>
    public Result GiveConsent(ForwardItems items, DateTimeOffset now)
    {
        if (Status is ReportStatus.Forwarded or ReportStatus.Closed) return NotAllowed("GiveConsent");
        ConsentItems = items;
        ConsentGivenAt = now;
        LastActivityAt = now;
        return Result.Success();
    }

    /// <summary>Withdraws consent for what is not yet forwarded. What was forwarded cannot be called back.</summary>
    public Result WithdrawConsent(DateTimeOffset now)
    {
        if (ConsentGivenAt is null || Status is ReportStatus.Forwarded or ReportStatus.Closed) return NotAllowed("WithdrawConsent");
        ConsentItems = ForwardItems.None;
        ConsentGivenAt = null;
        ConsentWithdrawnAt = now;
        LastActivityAt = now;
        return Result.Success();
    }

    /// <summary>
    /// Forwards to the institution's board: what the reporter chose, or, where the staff duty applies,
    /// the description regardless of consent. Returns what may be forwarded.
    /// </summary>
    public Result<ForwardItems> Forward(Guid caseId, DateTimeOffset now)
    {
        if (Status is ReportStatus.Forwarded or ReportStatus.Closed) return NotAllowed("Forward");
        var items = ConsentItems | (StatutoryForwarding ? ForwardItems.Description : ForwardItems.None);
        if (items == ForwardItems.None)
            return new Forbidden("The reporter has not consented to forwarding, and no duty to forward applies.");
        ForwardedItems = items;
        ForwardedAt = now;
        ForwardedCaseId = caseId;
        Status = ReportStatus.Forwarded;
        LastActivityAt = now;
        return items;
    }

    /// <summary>
    /// The meldpunt closes the report. Its service levels not yet met are no longer reminded or escalated: the meldpunt has
    /// ended its handling, and a closed report takes no message, so a reminder would ask for what can no longer be done.
    /// They stay unmet, not met at closing: what was met, and when, stays as it was (docs/JOBS.md, "A closed report").
    /// </summary>
    public Result Close(DateTimeOffset now)
    {
        if (Status == ReportStatus.Closed) return NotAllowed("Close");
        Status = ReportStatus.Closed;
        LastActivityAt = now;
        ClosedAt = now;
        // The address for notices served the open report only: it goes when the report closes.
        NoticeEmail = null;
        foreach (var d in _duties) d.StopReminders();
        return Result.Success();
    }

    /// <summary>The meldpunt places or lifts a legal hold: while it holds, the retention job leaves the report as it is.</summary>
    public Result SetLegalHold(bool hold)
    {
        if (ErasedAt is not null) return new StepNotAllowed("Erased", hold ? "PlaceLegalHold" : "LiftLegalHold", []);
        LegalHold = hold;
        return Result.Success();
    }

    private StepNotAllowed NotAllowed(string attempted) => new(Status.ToString(), attempted, Status switch
    {
        ReportStatus.Received or ReportStatus.InProgress => ["ReporterMessage", "HandlerMessage", "SetNoticeEmail", "GiveConsent", "WithdrawConsent", "Forward", "Close"],
        ReportStatus.Forwarded => ["ReporterMessage", "HandlerMessage", "SetNoticeEmail", "Close"],
        ReportStatus.Closed => [],
    });

    private void OpenDuty(DutyKind kind, DutyRules rules, DateTimeOffset start)
    {
        var level = ServiceLevels.Get(kind);
        var (due, reminders) = rules.Schedule(kind, start);
        _duties.Add(Duty.ForReport(Guid.CreateVersion7(start), Id, kind, level.Responsible, level.LegalBasis, start, due, reminders));
    }

    private void Meet(DutyKind kind, DateTimeOffset now)
    {
        foreach (var d in _duties.Where(d => d.Kind == kind && d.MetAt is null)) d.Fulfil(now);
    }
}

/// <summary>
/// A file attached to a report (docs/EVIDENCE.md). Its two copies, the original byte for byte and the cleaned one, are
/// stored apart in sealed chunks; this row holds what can be shown without opening them: the type, sizes, the original's
/// SHA-256 (proof of what was sent) and what the cleaning removed. The file's own name is not kept: it can name its maker.
/// </summary>
public sealed class ReportFile
{
    private ReportFile() { } // EF

    public ReportFile(Guid id, Guid reportId, Evidence.EvidenceType type, long size, byte[] sha256, long cleanedSize, Evidence.EvidenceType cleanedType,
        Evidence.RemovedMetadata removed, bool cleaningFailed, DateTimeOffset at)
    {
        Id = id; ReportId = reportId; Type = type; Size = size; Sha256 = sha256; CleanedSize = cleanedSize; CleanedType = cleanedType; Removed = removed;
        CleaningFailed = cleaningFailed; AddedAt = at;
    }

    public Guid Id { get; private set; }
    public Guid ReportId { get; private set; }
    public int Number { get; internal set; }
    public Evidence.EvidenceType Type { get; private set; }
    public long Size { get; private set; }
    public byte[] Sha256 { get; private set; } = [];
    public long CleanedSize { get; private set; }
    /// <summary>The cleaned copy's type: a HEIF photo is cleaned into a JPEG (HEIF can be read, not written).</summary>
    public Evidence.EvidenceType CleanedType { get; private set; }
    public Evidence.RemovedMetadata Removed { get; private set; }
    /// <summary>The file's metadata could not be removed: said to the reporter, who may withdraw it before anyone reads it.</summary>
    public bool CleaningFailed { get; private set; }
    public DateTimeOffset AddedAt { get; private set; }
    public DateTimeOffset? WithdrawnAt { get; private set; }
    /// <summary>When someone at the meldpunt first opened it: from then on the reporter can no longer withdraw it.</summary>
    public DateTimeOffset? FirstReadAt { get; private set; }

    internal void Withdraw(DateTimeOffset now) => WithdrawnAt = now;

    public void MarkRead(DateTimeOffset now) => FirstReadAt ??= now;
}

/// <summary>
/// Someone at the meldpunt opened a report's file (docs/EVIDENCE.md): every download is recorded, and the original only
/// with a reason, kept sealed here (it may name people) while the audit trail says who opened which copy, and when.
/// </summary>
public sealed class ReportFileAccess
{
    private ReportFileAccess() { } // EF

    public ReportFileAccess(Guid id, Guid reportId, Guid fileId, bool original, string userId, string? reason, DateTimeOffset at)
    {
        Id = id; ReportId = reportId; FileId = fileId; Original = original; UserId = userId; Reason = reason; At = at;
    }

    public Guid Id { get; private set; }
    public Guid ReportId { get; private set; }
    public Guid FileId { get; private set; }
    public bool Original { get; private set; }
    public string UserId { get; private set; } = "";
    public string? Reason { get; private set; }
    public DateTimeOffset At { get; private set; }
}

/// <summary>One version of an oral report's written account (directive 2019/1937 art. 18 lid 2–4). Its text is sealed.</summary>
public sealed class ReportAccountVersion
{
    private ReportAccountVersion() { } // EF

    public ReportAccountVersion(Guid id, Guid reportId, int number, MessageAuthor author, string? handlerUserId, string text, DateTimeOffset at)
    {
        Id = id; ReportId = reportId; Number = number; Author = author; HandlerUserId = handlerUserId; Text = text; At = at;
    }

    public Guid Id { get; private set; }
    public Guid ReportId { get; private set; }
    public int Number { get; private set; }
    public MessageAuthor Author { get; private set; }
    public string? HandlerUserId { get; private set; }
    public string Text { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
}

/// <summary>One message of the two-way anonymous dialogue.</summary>
public sealed class ReportMessage
{
    private ReportMessage() { } // EF

    public ReportMessage(Guid id, Guid reportId, int sequence, MessageAuthor author, HandlerMessageKind? kind, string? handlerUserId, string text, DateTimeOffset at)
    {
        Id = id; ReportId = reportId; Sequence = sequence; Author = author; Kind = kind; HandlerUserId = handlerUserId; Text = text; At = at;
    }

    public Guid Id { get; private set; }
    public Guid ReportId { get; private set; }
    public int Sequence { get; private set; }
    public MessageAuthor Author { get; private set; }
    public HandlerMessageKind? Kind { get; private set; }
    public string? HandlerUserId { get; private set; }
    public string Text { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
}
