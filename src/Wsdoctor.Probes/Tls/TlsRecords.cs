namespace Wsdoctor.Probes.Tls;

/// <summary>Reads the unencrypted part of what a TLS server sent (RFC 8446 5.1 record layer): alerts and the
/// handshake message types seen before encryption starts. In TLS 1.2 that includes CertificateRequest;
/// in TLS 1.3 everything after ServerHello is encrypted and only the exception text is left.</summary>
internal sealed record TlsRecords(bool LooksLikeTls, (byte Level, byte Description)? Alert, IReadOnlyList<byte> HandshakeTypes)
{
    public const byte AlertRecord = 21;
    public const byte HandshakeRecord = 22;
    private const byte ChangeCipherSpec = 20;
    private const byte CertificateRequestType = 13;

    public bool SawCertificateRequest => HandshakeTypes.Contains(CertificateRequestType);

    public static bool IsTlsRecordStart(ReadOnlySpan<byte> data) =>
        data.Length >= 2 && data[0] is >= ChangeCipherSpec and <= 23 && data[1] == 3;

    public static TlsRecords Parse(ReadOnlySpan<byte> data)
    {
        if (!IsTlsRecordStart(data))
        {
            return new TlsRecords(false, null, []);
        }

        (byte, byte)? alert = null;
        var handshake = new List<byte>();
        var handshakeTypes = new List<byte>();
        var offset = 0;
        while (offset + 5 <= data.Length)
        {
            var type = data[offset];
            var length = (data[offset + 3] << 8) | data[offset + 4];
            var body = data.Slice(offset + 5, Math.Min(length, data.Length - offset - 5));
            if (type == ChangeCipherSpec)
            {
                break;
            }

            if (type == AlertRecord && body.Length >= 2)
            {
                alert = (body[0], body[1]);
                break;
            }

            if (type == HandshakeRecord)
            {
                handshake.AddRange(body.ToArray());
            }

            offset += 5 + length;
        }

        // Handshake messages: type(1) length(3) body; they may span records, hence the concatenation.
        var h = 0;
        while (h + 4 <= handshake.Count)
        {
            handshakeTypes.Add(handshake[h]);
            h += 4 + ((handshake[h + 1] << 16) | (handshake[h + 2] << 8) | handshake[h + 3]);
        }

        return new TlsRecords(true, alert, handshakeTypes);
    }

    /// <summary>RFC 8446 6 / RFC 5246 7.2 alert descriptions.</summary>
    public static string AlertName(byte description) => description switch
    {
        0 => "close_notify",
        10 => "unexpected_message",
        20 => "bad_record_mac",
        22 => "record_overflow",
        40 => "handshake_failure",
        42 => "bad_certificate",
        43 => "unsupported_certificate",
        44 => "certificate_revoked",
        45 => "certificate_expired",
        46 => "certificate_unknown",
        47 => "illegal_parameter",
        48 => "unknown_ca",
        49 => "access_denied",
        50 => "decode_error",
        51 => "decrypt_error",
        70 => "protocol_version",
        71 => "insufficient_security",
        80 => "internal_error",
        86 => "inappropriate_fallback",
        90 => "user_canceled",
        109 => "missing_extension",
        110 => "unsupported_extension",
        112 => "unrecognized_name",
        113 => "bad_certificate_status_response",
        115 => "unknown_psk_identity",
        116 => "certificate_required",
        120 => "no_application_protocol",
        _ => $"alert {description}",
    };
}
