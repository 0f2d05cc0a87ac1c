using System.Globalization;
using OneKvm.Cgroups.Vm;
using OneKvm.Libvirt;

namespace OneKvm.Probes.Audit;

/// <summary>
/// <c>--fix</c>: for every drifted VM, libvirt sets <c>cpu_shares=N</c> on the live domain, then the
/// value is read back from the kernel (<c>cpu.shares</c> / <c>cpu.weight</c>), not from libvirt.
/// </summary>
public sealed class ShareFixer(ILibvirtClient libvirt, TimeProvider time)
{
    public async Task<IReadOnlyList<ShareFix>> FixAsync(CgroupReport report, CancellationToken cancellationToken)
    {
        var fixes = new List<ShareFix>();
        foreach (var vm in report.Vms)
        {
            if (vm.Drift != true || vm.PromisedShares is not { } target || vm.Sample is not { } sample) continue;
            string? error = null;
            try
            {
                if (vm.Uuid is not { } uuid) throw new LibvirtException($"libvirt at {libvirt.Uri}: domain '{vm.Domain}' has no UUID");
                await libvirt.SetCpuSharesAsync(uuid, (ulong)target, persistent: false, cancellationToken);
            }
            catch (LibvirtException e)
            {
                error = e.Message;
            }
            var after = VmCgroupReader.Read(sample.Paths, time).AppliedShares;
            if (error is null && after != target)
                error = $"libvirt accepted cpu_shares={target} but the kernel reads {after?.ToString(CultureInfo.InvariantCulture) ?? "nothing"}";
            fixes.Add(new ShareFix(vm.Domain, vm.AppliedShares, target, after, error));
        }
        return fixes;
    }
}
