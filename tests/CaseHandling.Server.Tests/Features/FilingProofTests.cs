using System.Net;
using System.Security.Cryptography;
using System.Text;
using CaseHandling.Domain.Cases;
using CaseHandling.Domain.Reports;
using CaseHandling.Server.Features.Meldpunt;
using CaseHandling.Server.Infrastructure.Encryption;
using CaseHandling.Server.Features.Reports;
using CaseHandling.Server.Features.Shared;
using CaseHandling.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NSec.Cryptography;

namespace CaseHandling.Server.Tests.Features;

/// <summary>
/// Proof of filing (docs/RECEIPTS.md): the meldpunt signs what a reporter filed and when; anyone checks it against the
/// published keys; a changed byte, a forgery and a proof for a report that does not exist all fail alike.
/// </summary>
public sealed class FilingProofTests
{
    private const string Text = "Op dinsdag na de les hield de docent mij tegen.";
    private World _w = null!;
    private HttpClient Reporter => _w.Anonymous;

    [SetUp]
    public async Task SetUp() => _w = await World.Create(await TestHost.Get());

    private async Task<ReportReceipt> Submit(string text = Text, bool anonymous = true) =>
        await (await Reporter.Post("/api/reports", new SubmitReport(ReporterKind.Student, anonymous, anonymous ? null : "Sam de Vries",
            anonymous ? null : "sam.devries@example.org", anonymous ? null : "0612345678", IncidentType.SeksueleIntimidatie, text, "vorige week",
            _w.InstitutionId, "Faculteit X", AccusedRole.MetTakenBelastPersoon, VictimWho.Reporter, VictimAgeAnswer.Adult, Destination.MeldpuntOnly)))
            .Read<ReportReceipt>(HttpStatusCode.Created);

    private async Task<FilingProofView> Proof(string code, FilingProofKind? kind = null, int? message = null) =>
        await (await Reporter.Post("/api/reports/proof", new { receiptCode = code, kind, message })).Read<FilingProofView>();

    private async Task<ProofVerification> Verify(string proof) =>
        await (await Reporter.Post("/api/reports/proof/verify", new { proof })).Read<ProofVerification>();

    private async Task<ReportDetail> Detail(string code) =>
        await _w.Handler.GetJson<ReportDetail>($"/api/meldpunt/reports/{await Sql.ReportIdByReceiptCode(_w.Host.ConnectionString, code)}");

    [Test]
    public async Task ProofOfReport_Verifies_HoldsNumberTimeAndHash_AndNothingOfTheReporter()
    {
        var receipt = await Submit(anonymous: false);
        var proof = await Proof(receipt.ReceiptCode);
        var detail = await Detail(receipt.ReceiptCode);

        Assert.That(proof.Kind, Is.EqualTo(FilingProofKind.Report));
        Assert.That(proof.ReportNumber, Is.EqualTo(detail.Number));
        Assert.That(proof.ReceivedAt, Is.EqualTo(receipt.SubmittedAt).Within(TimeSpan.FromMilliseconds(0.5)));
        Assert.That(proof.FileName, Is.EqualTo($"bewijs-van-ontvangst-{detail.Number}.txt"));
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text)));
        Assert.That(proof.Proof, Does.Contain($"\nsha256: {sha}\n"), "the SHA-256 of the text as filed, which the reporter can recompute");
        Assert.That(proof.Proof, Does.Contain($"\nreport: {detail.Number}\n"));
        foreach (var personal in new[] { "Sam", "sam.devries", "0612345678", "dinsdag", "Faculteit", receipt.ReceiptCode })
            Assert.That(proof.Proof, Does.Not.Contain(personal).IgnoreCase, "a proof holds nothing that identifies the reporter, nor the text");

        var verdict = await Verify(proof.Proof);
        Assert.That(verdict.Valid, Is.True);
        Assert.That((verdict.Kind, verdict.ReportNumber, verdict.Message), Is.EqualTo((FilingProofKind.Report, detail.Number, (int?)null)));
        Assert.That(verdict.ReceivedAt, Is.EqualTo(proof.ReceivedAt));

        // Ed25519 as published: the key list's public key checks the signature without this system.
        var key = (await Reporter.GetJson<List<ReceiptKeyView>>("/api/reports/proof/keys")).Single(k => k.KeyId == verdict.KeyId);
        var parsed = FilingProof.Parse(proof.Proof)!.Value;
        var publicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, Convert.FromBase64String(key.PublicKey), KeyBlobFormat.RawPublicKey);
        Assert.That(SignatureAlgorithm.Ed25519.Verify(publicKey, parsed.SignedBytes, parsed.Signature), Is.True);
        Assert.That(key.PublicKeyPem, Does.StartWith("-----BEGIN PUBLIC KEY-----"));

        var actions = await Sql.Rows(_w.Host.ConnectionString, "SELECT action FROM audit_entries WHERE subject_id = @id ORDER BY sequence",
            ("id", await Sql.ReportIdByReceiptCode(_w.Host.ConnectionString, receipt.ReceiptCode)));
        Assert.That(actions, Does.Contain("read:proof:report"), "handing out a proof is a read of the report, recorded");
    }

    [Test]
    public async Task AnyChangedByte_DoesNotVerify()
    {
        var receipt = await Submit();
        var proof = (await Proof(receipt.ReceiptCode)).Proof;
        var signer = _w.Host.Services.GetRequiredService<ReceiptSigner>();
        Assert.That(await signer.VerifyAsync(proof, CancellationToken.None), Is.Not.Null);

        var bytes = Encoding.UTF8.GetBytes(proof);
        var passed = new List<int>();
        for (var i = 0; i < bytes.Length; i++)
        {
            var changed = (byte[])bytes.Clone();
            changed[i] = (byte)(changed[i] == (byte)'A' ? 'B' : 'A');
            if (await signer.VerifyAsync(Encoding.UTF8.GetString(changed), CancellationToken.None) is not null) passed.Add(i);
        }
        Assert.That(passed, Is.Empty, "a proof with any one byte changed must fail");
        Assert.That(await signer.VerifyAsync(proof[..^1], CancellationToken.None), Is.Null, "cut short");
        Assert.That(await signer.VerifyAsync(proof + "x\n", CancellationToken.None), Is.Null, "lengthened");
        Assert.That(await signer.VerifyAsync(proof.Replace("\n", "\r\n"), CancellationToken.None), Is.Null, "other line ends");

        // And over the API, a changed time (the likeliest forgery: a report made earlier than it was).
        var earlier = proof.Replace("\nreceived: 20", "\nreceived: 19");
        Assert.That((await Verify(earlier)).Valid, Is.False);
    }

    [Test]
    public async Task UnknownReport_GetsTheSameAnswerAsAForgery()
    {
        var proof = (await Proof((await Submit()).ReceiptCode)).Proof;
        var parsed = FilingProof.Parse(proof)!.Value.Proof;

        // A well-formed proof for a report that does not exist, under the meldpunt's key id, signed by another key.
        using var other = Key.Create(SignatureAlgorithm.Ed25519);
        var unknown = parsed with { ReportNumber = "M-999999" };
        var unknownText = unknown.WithSignature(SignatureAlgorithm.Ed25519.Sign(other, Encoding.UTF8.GetBytes(unknown.SignedText())));
        // A real proof with its report number changed.
        var forged = proof.Replace($"report: {parsed.ReportNumber}", "report: M-999998");

        var answers = new List<string>();
        foreach (var text in new[] { unknownText, forged })
        {
            var response = await Reporter.Post("/api/reports/proof/verify", new { proof = text });
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            answers.Add(await response.Content.ReadAsStringAsync());
        }
        Assert.That(answers[0], Is.EqualTo(answers[1]), "nothing tells a report that does not exist from a forgery");
        Assert.That((await Verify(unknownText)).Valid, Is.False);
    }

    [Test]
    public async Task SignedBeforeRotation_StillVerifiesAfter()
    {
        var code = (await Submit()).ReceiptCode;
        var before = await Proof(code);
        var keyBefore = (await Verify(before.Proof)).KeyId;

        var keys = await (await _w.Admin.Post("/api/admin/keys/receipt-signing/rotate", new { })).Read<List<ReceiptKeyView>>();
        Assert.That(keys[0].KeyId, Is.Not.EqualTo(keyBefore), "the new key comes first");
        Assert.That(keys[0].RetiredAt, Is.Null);
        Assert.That(keys.Single(k => k.KeyId == keyBefore).RetiredAt, Is.Not.Null, "the old key is retired, and still published");

        var after = await Proof(code);
        var verdictAfter = await Verify(after.Proof);
        Assert.That(verdictAfter.Valid, Is.True);
        Assert.That(verdictAfter.KeyId, Is.EqualTo(keys[0].KeyId), "new proofs are signed with the new key");
        var verdictBefore = await Verify(before.Proof);
        Assert.That((verdictBefore.Valid, verdictBefore.KeyId), Is.EqualTo((true, keyBefore)), "a proof signed before the rotation verifies after it");

        var recorded = await Sql.Rows(_w.Host.ConnectionString, "SELECT action FROM audit_entries WHERE subject_id = @id", ("id", AuditSubjects.Keys));
        Assert.That(recorded, Does.Contain($"keys.receipt_signing_rotated:{keys[0].KeyId}"));
    }

    [Test]
    public async Task ProofsOfMessageAndForwarding_EachAttestTheirOwnTime()
    {
        var code = (await Submit()).ReceiptCode;
        var id = await Sql.ReportIdByReceiptCode(_w.Host.ConnectionString, code);
        await (await _w.Handler.Post($"/api/meldpunt/reports/{id}/messages", new { kind = "Acknowledgement", text = "Dank voor uw melding." })).Read<ReportRef>();
        var replied = await (await Reporter.Post("/api/reports/messages", new { receiptCode = code, text = "Het was om vijf uur." })).Read<ReportStatusView>();
        var mine = replied.Messages.Single(m => m.Author == MessageAuthor.Reporter);
        var handlers = replied.Messages.Single(m => m.Author == MessageAuthor.Handler);

        var message = await Proof(code, FilingProofKind.Message, mine.Sequence);
        Assert.That((message.Kind, message.Message), Is.EqualTo((FilingProofKind.Message, (int?)mine.Sequence)));
        // The stored time (PostgreSQL keeps microseconds; the reply's answer has the clock's ticks).
        Assert.That(message.ReceivedAt, Is.EqualTo(mine.At).Within(TimeSpan.FromMilliseconds(0.01)));
        Assert.That(message.Proof, Does.Contain("\nsha256: " + FilingProof.HashOf("Het was om vijf uur.") + "\n"));
        var verdict = await Verify(message.Proof);
        Assert.That((verdict.Valid, verdict.Message), Is.EqualTo((true, (int?)mine.Sequence)));

        // Only what the reporter filed: the handler's message is not theirs to prove; a forwarding that did not happen neither.
        await (await Reporter.Post("/api/reports/proof", new { receiptCode = code, kind = "Message", message = handlers.Sequence })).Problem(HttpStatusCode.NotFound);
        await (await Reporter.Post("/api/reports/proof", new { receiptCode = code, kind = "Forwarded" })).Problem(HttpStatusCode.NotFound);
        await (await _w.Handler.GetAsync($"/api/meldpunt/reports/{id}/forwarding-proof")).Problem(HttpStatusCode.NotFound);
        var invalid = await (await Reporter.Post("/api/reports/proof", new { receiptCode = code, kind = "Message" })).Problem(HttpStatusCode.BadRequest);
        Assert.That(invalid.GetProperty("errors").TryGetProperty("message", out _), Is.True, "the field is named");
        await (await Reporter.Post("/api/reports/proof", new { receiptCode = "ABCDE-12345-FGHJK-67890-MNPQR" })).Problem(HttpStatusCode.NotFound);

        await (await Reporter.Post("/api/reports/consent", new { receiptCode = code, items = new[] { "Description" } })).Read<ReportStatusView>();
        await (await _w.Handler.Post($"/api/meldpunt/reports/{id}/forward", new { victimAge = "Adult" })).Read<ForwardedRef>();
        var status = await (await Reporter.Post("/api/reports/status", new { receiptCode = code })).Read<ReportStatusView>();
        var forwarded = await Proof(code, FilingProofKind.Forwarded);
        Assert.That(forwarded.Kind, Is.EqualTo(FilingProofKind.Forwarded));
        Assert.That(forwarded.ReceivedAt, Is.EqualTo(status.ForwardedAt!.Value).Within(TimeSpan.FromMilliseconds(0.01)));
        Assert.That((await Verify(forwarded.Proof)).Kind, Is.EqualTo(FilingProofKind.Forwarded));
        // The meldpunt holds the same proof: Ed25519 signs deterministically, so both sides show the very same bytes.
        var meldpunts = await _w.Handler.GetJson<FilingProofView>($"/api/meldpunt/reports/{id}/forwarding-proof");
        Assert.That(meldpunts.Proof, Is.EqualTo(forwarded.Proof));
        await (await _w.Board.GetAsync($"/api/meldpunt/reports/{id}/forwarding-proof")).Problem(HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task SigningKey_StoredSealedUnderTheKek()
    {
        await Proof((await Submit()).ReceiptCode);
        var rows = await Sql.Pairs(_w.Host.ConnectionString, "SELECT id, sealed_private_key FROM receipt_signing_keys WHERE retired_at IS NULL");
        Assert.That(rows, Is.Not.Empty);
        var kek = Convert.FromBase64String(TestHost.TestKek);
        foreach (var (id, sealedKey) in rows)
        {
            var sealedBytes = Convert.FromBase64String(sealedKey);
            Assert.That(sealedBytes, Has.Length.EqualTo(12 + 32 + 16), "nonce, the 32-byte private key sealed, tag");
            var kekId = await Sql.Scalar<string>(_w.Host.ConnectionString, "SELECT kek_id FROM receipt_signing_keys WHERE id = @id", ("id", id));
            var opened = CaseHandling.Server.Infrastructure.Encryption.ContentCipher.Decrypt(kek, sealedBytes, ReceiptSigner.Context(id, kekId));
            using var key = Key.Import(SignatureAlgorithm.Ed25519, opened, KeyBlobFormat.RawPrivateKey);
            var published = await Sql.Scalar<byte[]>(_w.Host.ConnectionString, "SELECT public_key FROM receipt_signing_keys WHERE id = @id", ("id", id));
            Assert.That(key.PublicKey.Export(KeyBlobFormat.RawPublicKey), Is.EqualTo(published), "the sealed key is the published key's private half");
        }
    }
}
