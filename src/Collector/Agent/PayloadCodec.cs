using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace OneKvm.Collector.Agent;

/// <summary>
/// The payload of a monitord message: Base64( zlib( [RSA PKCS#1 v1.5 chunks]( text ) ) ), as
/// <c>monitord_client.rb</c> builds it. The key is optional; Base64 has no line breaks.
/// </summary>
public static class PayloadCodec
{
    public static string Encode(string text, RSA? publicKey)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (publicKey is not null) bytes = Encrypt(bytes, publicKey);
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(bytes);
        }
        return Convert.ToBase64String(compressed.ToArray());
    }

    /// <summary>Encrypts in chunks of k − 11 bytes (k = modulus length in bytes), concatenating k-byte ciphertexts.</summary>
    private static byte[] Encrypt(byte[] plain, RSA key)
    {
        var k = key.KeySize / 8;
        var chunk = k - 11;
        using var output = new MemoryStream();
        for (var offset = 0; offset < plain.Length; offset += chunk)
        {
            var length = Math.Min(chunk, plain.Length - offset);
            output.Write(key.Encrypt(plain.AsSpan(offset, length).ToArray(), RSAEncryptionPadding.Pkcs1));
        }
        return output.ToArray();
    }
}
