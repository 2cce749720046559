using System.Text;
using Wsdoctor.Probes.Tls;

namespace Wsdoctor.Probes.Tests.Tls;

public class TlsRecordsTests
{
    [Fact]
    public void Parse_AlertRecord_ReadsLevelAndDescription()
    {
        byte[] data =
        [
            0x15,       // content type: alert
            0x03, 0x03, // legacy record version TLS 1.2
            0x00, 0x02, // length 2
            0x02,       // level: fatal
            0x28,       // description 40: handshake_failure
        ];

        var records = TlsRecords.Parse(data);

        Assert.True(records.LooksLikeTls);
        Assert.Equal(((byte)2, (byte)40), records.Alert);
        Assert.Empty(records.HandshakeTypes);
        Assert.Equal("handshake_failure", TlsRecords.AlertName(records.Alert!.Value.Description));
    }

    [Fact]
    public void Parse_CertificateRequestSplitAcrossTwoRecords_IsSeen()
    {
        // A TLS 1.2 server flight for mutual TLS; the CertificateRequest header straddles the record boundary,
        // which RFC 5246 6.2.1 allows (handshake messages may be fragmented across records).
        byte[] data =
        [
            0x16, 0x03, 0x03, 0x00, 0x11, // record 1: handshake, TLS 1.2, 17 bytes
            0x02, 0x00, 0x00, 0x04,       //   ServerHello, length 4
            0xAA, 0xBB, 0xCC, 0xDD,       //   (body)
            0x0B, 0x00, 0x00, 0x03,       //   Certificate, length 3
            0x00, 0x00, 0x00,             //   (body: empty certificate list)
            0x0D, 0x00,                   //   CertificateRequest type and first length byte...
            0x16, 0x03, 0x03, 0x00, 0x08, // record 2: handshake, TLS 1.2, 8 bytes
            0x00, 0x02,                   //   ...the other two length bytes: length 2
            0x01, 0x01,                   //   (body: one certificate type, rsa_sign)
            0x0E, 0x00, 0x00, 0x00,       //   ServerHelloDone, length 0
        ];

        var records = TlsRecords.Parse(data);

        Assert.True(records.LooksLikeTls);
        Assert.Null(records.Alert);
        Assert.Equal(new byte[] { 2, 11, 13, 14 }, records.HandshakeTypes);
        Assert.True(records.SawCertificateRequest);
    }

    [Fact]
    public void Parse_FlightWithoutCertificateRequest_DoesNotReportOne()
    {
        byte[] data =
        [
            0x16, 0x03, 0x03, 0x00, 0x0C, // handshake record, 12 bytes
            0x02, 0x00, 0x00, 0x04,       // ServerHello, length 4
            0x0D, 0x0D, 0x0D, 0x0D,       // (body bytes that happen to equal 13)
            0x0E, 0x00, 0x00, 0x00,       // ServerHelloDone
        ];

        var records = TlsRecords.Parse(data);

        Assert.Equal(new byte[] { 2, 14 }, records.HandshakeTypes);
        Assert.False(records.SawCertificateRequest);
    }

    [Fact]
    public void Parse_HandshakeThenAlert_ReportsBoth()
    {
        // TLS 1.2 mutual TLS refused: CertificateRequest went out, the client sent no certificate, the server alerts.
        byte[] data =
        [
            0x16, 0x03, 0x03, 0x00, 0x06, // handshake record, 6 bytes
            0x0D, 0x00, 0x00, 0x02,       // CertificateRequest, length 2
            0x01, 0x01,                   // (body)
            0x15, 0x03, 0x03, 0x00, 0x02, // alert record
            0x02, 0x74,                   // fatal, 116 certificate_required
        ];

        var records = TlsRecords.Parse(data);

        Assert.True(records.SawCertificateRequest);
        Assert.Equal(((byte)2, (byte)116), records.Alert);
        Assert.Equal("certificate_required", TlsRecords.AlertName(116));
    }

    [Fact]
    public void Parse_RecordsAfterChangeCipherSpec_AreEncryptedAndIgnored()
    {
        byte[] data =
        [
            0x16, 0x03, 0x03, 0x00, 0x04, // handshake record
            0x02, 0x00, 0x00, 0x00,       // ServerHello, length 0
            0x14, 0x03, 0x03, 0x00, 0x01, // ChangeCipherSpec record
            0x01,
            0x16, 0x03, 0x03, 0x00, 0x04, // encrypted Finished: its ciphertext starts with 0x0D by chance
            0x0D, 0x00, 0x00, 0x00,
        ];

        var records = TlsRecords.Parse(data);

        Assert.Equal(new byte[] { 2 }, records.HandshakeTypes);
        Assert.False(records.SawCertificateRequest);
    }

    [Theory]
    [InlineData("HTTP/1.1 400 Bad Request\r\n\r\n")]
    [InlineData("SSH-2.0-OpenSSH_9.6\r\n")]
    [InlineData("+OK Redis\r\n")]
    public void Parse_NotTls_SaysSo(string text)
    {
        var records = TlsRecords.Parse(Encoding.ASCII.GetBytes(text));

        Assert.False(records.LooksLikeTls);
        Assert.Null(records.Alert);
        Assert.Empty(records.HandshakeTypes);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x16 })]
    [InlineData(new byte[] { 0x16, 0x02 })] // major version 2 is SSLv2, not a TLS record
    [InlineData(new byte[] { 0x18, 0x03 })] // content type 24 (heartbeat) does not start a server's first flight
    public void Parse_TooShortOrNoRecordStart_IsNotTls(byte[] data)
    {
        Assert.False(TlsRecords.Parse(data).LooksLikeTls);
    }

    [Fact]
    public void Parse_TruncatedRecord_KeepsTheCompleteMessagesOnly()
    {
        byte[] data =
        [
            0x16, 0x03, 0x03, 0x01, 0x00, // handshake record announcing 256 bytes...
            0x02, 0x00, 0x00, 0x02,       // ServerHello, length 2
            0xAA, 0xBB,
            0x0D, 0x00,                   // ...cut off inside the next message header
        ];

        var records = TlsRecords.Parse(data);

        Assert.True(records.LooksLikeTls);
        Assert.Equal(new byte[] { 2 }, records.HandshakeTypes);
        Assert.False(records.SawCertificateRequest);
    }

    [Fact]
    public void Parse_TruncatedAlert_HasNoAlert()
    {
        byte[] data = [0x15, 0x03, 0x03, 0x00, 0x02, 0x02]; // alert record cut after the level byte

        var records = TlsRecords.Parse(data);

        Assert.True(records.LooksLikeTls);
        Assert.Null(records.Alert);
    }

    [Fact]
    public void Parse_RecordHeaderOnly_IsTlsWithNothingInside()
    {
        var records = TlsRecords.Parse([0x16, 0x03, 0x01]);

        Assert.True(records.LooksLikeTls);
        Assert.Null(records.Alert);
        Assert.Empty(records.HandshakeTypes);
    }

    [Theory]
    [InlineData(40, "handshake_failure")]
    [InlineData(70, "protocol_version")]
    [InlineData(48, "unknown_ca")]
    [InlineData(112, "unrecognized_name")]
    [InlineData(200, "alert 200")]
    public void AlertName_KnownAndUnknown(byte description, string expected)
    {
        Assert.Equal(expected, TlsRecords.AlertName(description));
    }
}
