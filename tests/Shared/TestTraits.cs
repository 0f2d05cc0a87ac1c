namespace OneKvm.Tests;

/// <summary>
/// Trait names. Tests that need the real host (libvirtd with QEMU domains, the kernel's cgroups)
/// carry <c>[Trait(Category, RealHost)]</c> so the test script can run them again after switching
/// cgroup modes (<c>--filter Category=RealHost</c>).
/// </summary>
internal static class TestTraits
{
    public const string Category = "Category";
    public const string RealHost = "RealHost";
}
