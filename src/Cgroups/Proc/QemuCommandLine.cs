namespace OneKvm.Cgroups.Proc;

/// <summary>
/// What identifies a QEMU process started by libvirt: <c>-uuid &lt;uuid&gt;</c> (lower case) and the
/// guest name from <c>-name guest=&lt;name&gt;,debug-threads=on</c> (QEMU doubles commas in values).
/// </summary>
public sealed record QemuCommandLine(int Pid, string Uuid, string? GuestName);
