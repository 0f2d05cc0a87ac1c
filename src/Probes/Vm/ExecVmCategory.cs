namespace OneKvm.Probes.Vm;

/// <summary>
/// <c>EXEC_VM</c> (upstream <c>vm/execution</c>, 7.2+): results of commands the VMM <c>exec</c> action
/// ran in guests through the QEMU guest agent (<see cref="ExecVmReaper"/>); the payload is empty
/// when none finished. The agent is asked through the process's libvirt connection.
/// </summary>
public sealed class ExecVmCategory : ICategory
{
    /// <summary>How long libvirt waits for a guest agent's answer.</summary>
    public const int AgentTimeoutSeconds = 5;

    public string Name => "exec_vm";

    public string MessageType => "EXEC_VM";

    public async Task<string> RenderAsync(ProbeContext context, CancellationToken cancellationToken)
    {
        var snapshot = await VmInventory.ReadAsync(context, cancellationToken);
        var byName = VmInventory.OneVms(snapshot).ToDictionary(v => v.Domain.Name, v => v.Domain.Uuid, StringComparer.Ordinal);
        var (payload, warnings) = await ExecVmReaper.ReapAsync(
            context.Paths,
            VmInventory.OneVms(snapshot).Select(v => v.Id),
            (name, json, ct) => context.Libvirt.QemuAgentCommandAsync(byName[name], json, AgentTimeoutSeconds, ct),
            TimeSpan.FromSeconds(10),
            cancellationToken);
        foreach (var warning in warnings) context.Warn($"exec_vm: {warning}");
        return payload;
    }
}
