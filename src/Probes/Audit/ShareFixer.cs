using System.Globalization;
using OneKvm.Cgroups.Vm;
using OneKvm.Probes.Virsh;

namespace OneKvm.Probes.Audit;

/// <summary>
/// <c>--fix</c>: for every drifted VM, <c>virsh schedinfo &lt;dom&gt; --live --set cpu_shares=N</c>, then
/// the value is read back from the kernel (<c>cpu.shares</c> / <c>cpu.weight</c>), not from virsh.
/// </summary>
public sealed class ShareFixer(IVirsh virsh, TimeProvider time)
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
                await virsh.RunAsync(
                    ["schedinfo", vm.Domain, "--live", "--set", "cpu_shares=" + target.ToString(CultureInfo.InvariantCulture)],
                    cancellationToken);
            }
            catch (VirshException e)
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
