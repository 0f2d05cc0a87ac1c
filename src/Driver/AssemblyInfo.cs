// The driver runs on Linux KVM hosts only (process groups, Unix file modes).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
