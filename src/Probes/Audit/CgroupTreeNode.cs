namespace OneKvm.Probes.Audit;

/// <summary>One directory of the VMs' cpu cgroup tree, with what the audit says about it.</summary>
public sealed record CgroupTreeNode(string Name, string? Note, IReadOnlyList<CgroupTreeNode> Children);
