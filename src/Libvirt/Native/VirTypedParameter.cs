using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace OneKvm.Libvirt.Native;

/// <summary><c>virTypedParameterType</c> (libvirt-common.h).</summary>
internal enum VirTypedParameterType
{
    Int = 1,
    UInt = 2,
    LLong = 3,
    ULLong = 4,
    Double = 5,
    Boolean = 6,
    String = 7,
}

/// <summary>
/// <c>virTypedParameter</c> as laid out on x86_64/aarch64 Linux: <c>char field[80]; int type;</c>
/// then an 8-byte union at offset 88 (96 bytes in all, checked against the C header by a test).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 96)]
internal unsafe struct VirTypedParameter
{
    public const int FieldLength = 80;

    [FieldOffset(0)]
    public FieldName Field;

    [FieldOffset(80)]
    public VirTypedParameterType Type;

    [FieldOffset(88)]
    public int I;

    [FieldOffset(88)]
    public uint UI;

    [FieldOffset(88)]
    public long L;

    [FieldOffset(88)]
    public ulong UL;

    [FieldOffset(88)]
    public double D;

    [FieldOffset(88)]
    public byte B;

    [FieldOffset(88)]
    public byte* S;

    /// <summary>The field name of <paramref name="p"/> up to its NUL (at most 80 bytes).</summary>
    public static ReadOnlySpan<byte> NameOf(ref readonly VirTypedParameter p)
    {
        ReadOnlySpan<byte> span = p.Field;
        var end = span.IndexOf((byte)0);
        return end < 0 ? span : span[..end];
    }

    public static string NameString(ref readonly VirTypedParameter p) => Encoding.UTF8.GetString(NameOf(in p));

    /// <summary><c>char field[VIR_TYPED_PARAM_FIELD_LENGTH]</c>.</summary>
    [InlineArray(FieldLength)]
    public struct FieldName
    {
        private byte _element;
    }
}
