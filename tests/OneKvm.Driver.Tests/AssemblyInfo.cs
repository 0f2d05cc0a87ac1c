// The driver under test is Linux-only (process groups, Unix file modes).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
