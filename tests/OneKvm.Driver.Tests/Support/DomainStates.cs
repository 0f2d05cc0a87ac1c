using OneKvm.Tests;

namespace OneKvm.Driver.Tests.Support;

internal static class DomainStates
{
    /// <summary><c>virsh domstate</c> of a test domain, or <c>&lt;undefined&gt;</c>.</summary>
    public static string Of(string name)
    {
        var (code, stdout, _) = TestDomain.Virsh("domstate", name);
        return code == 0 ? stdout.Trim() : "<undefined>";
    }
}
