using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace OneKvm.Collector.Tests.Support;

/// <summary>A message as monitord sees it after decoding.</summary>
internal sealed record DecodedMessage(string Type, string Status, int HostId, long Epoch, string Text, string Transport, int FrameBytes);

/// <summary>
/// Decodes frames the way monitord does (src/monitor, SSLUtil.cc): split
/// <c>TYPE STATUS HOST_ID EPOCH PAYLOAD</c> at the first four spaces (up to the first newline),
/// Base64-decode, zlib-inflate, and with a private key RSA-decrypt in k-byte blocks — accepting the
/// inflated bytes as plain text when decryption fails.
/// </summary>
internal static class MonitordDecoder
{
    public static DecodedMessage Decode(byte[] frame, string transport, RSA? privateKey)
    {
        var line = Encoding.ASCII.GetString(frame);
        var newline = line.IndexOf('\n', StringComparison.Ordinal);
        if (newline >= 0) line = line[..newline];
        var fields = line.Split(' ', 5);
        if (fields.Length != 5) throw new FormatException($"not a monitord frame: '{line[..Math.Min(line.Length, 80)]}'");
        var inflated = Inflate(Convert.FromBase64String(fields[4]));
        var text = Encoding.UTF8.GetString(privateKey is null ? inflated : DecryptOrPlain(inflated, privateKey));
        return new DecodedMessage(fields[0], fields[1], int.Parse(fields[2], CultureInfo.InvariantCulture),
            long.Parse(fields[3], CultureInfo.InvariantCulture), text, transport, frame.Length);
    }

    public static byte[] Inflate(byte[] compressed)
    {
        using var input = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private static byte[] DecryptOrPlain(byte[] data, RSA key)
    {
        var k = key.KeySize / 8;
        if (data.Length == 0 || data.Length % k != 0) return data;
        try
        {
            using var plain = new MemoryStream();
            for (var offset = 0; offset < data.Length; offset += k)
                plain.Write(key.Decrypt(data.AsSpan(offset, k).ToArray(), RSAEncryptionPadding.Pkcs1));
            return plain.ToArray();
        }
        catch (CryptographicException)
        {
            return data;
        }
    }
}
