namespace OneKvm.Collector;

/// <summary>The text of <c>--help</c>, per command.</summary>
public static class HelpText
{
    public static string For(string? verb) => verb switch
    {
        "agent" => Agent,
        "serve" => Serve,
        "cgroups" => Cgroups,
        _ => Main,
    };

    private const string Common = """

        Configuration (lowest to highest precedence): built-in defaults; /etc/one/onekvm.json or
        --config FILE; kvmrc (/var/tmp/one/etc/vmm/kvm/kvmrc or --kvmrc FILE: LIBVIRT_URI and the
        other variables); environment ONEKVM_Section__Key; command line --Section:Key=VALUE.

        Common options:
          --config FILE        JSON configuration file (must exist when given)
          --kvmrc FILE         kvmrc to read (must exist when given)
          --uri URI            libvirt URI (Libvirt:Uri; default from kvmrc LIBVIRT_URI, else qemu:///system)
          --virsh PATH         virsh program (Libvirt:Path)
          --root DIR           read /proc, /sys, cgroups, datastores below DIR (Paths:Root; for fixture trees)
          --datastores DIR     OpenNebula DATASTORE_LOCATION (Paths:DatastoreLocation)
          --host-id N          OpenNebula host id (Probes:HostId)
          --state-dir DIR      state kept between runs (Probes:StateDirectory, default /var/tmp/one_db/onekvm)
          --Section:Key=VALUE  any configuration key, e.g. --Libvirt:TimeoutSeconds=5
          -h, --help           this text
          --version            print the version

        Exit status: 0 success; 1 a category or command failed (message on stderr); 2 usage or configuration error.

        """;

    private const string Main = """
        onekvm-probe: OpenNebula KVM host agent (probes, Prometheus exporter, cgroup audit).

        Usage:
          onekvm-probe --once [--category LIST]   print OpenNebula probe output once
          onekvm-probe agent                      push probe messages to monitord (reads MONITOR_CONFIGURATION on stdin)
          onekvm-probe serve [--listen ADDR:PORT] Prometheus endpoint at /metrics (default 0.0.0.0:9926)
          onekvm-probe cgroups [--format json] [--fix]  VM cgroup CPU-share audit and host reservations
          onekvm-probe help COMMAND               help of one command

        --once options:
          --category LIST      comma-separated categories (upstream message types, lower case):
                               system_host, monitor_host, beacon_host, monitor_vm, state_vm;
                               poll with --vm DOMAIN (OpenNebula 5.x single-line poll).
                               Default: all but poll.
        """ + Common;

    private const string Agent = """
        onekvm-probe agent: drop-in for OpenNebula's monitord client.

        Reads the MONITOR_CONFIGURATION XML on stdin, prints the MONITOR_MESSAGES start-up document,
        then sends every category on its period to MONITOR_ADDRESS:PORT (STATE_VM over TCP, the
        others over UDP).
        """ + Common;

    private const string Serve = """
        onekvm-probe serve: Prometheus endpoint.

          --listen ADDR:PORT   listen address (Serve:Listen, default 0.0.0.0:9926)
        """ + Common;

    private const string Cgroups = """
        onekvm-probe cgroups: VM cgroups, expected vs applied CPU shares, fair-share entitlement,
        host reservations.

          --format FORMAT      table (default) or json
          --fix                set drifted shares through libvirt (virsh schedinfo DOM --live --set
                               cpu_shares=N) and report before/after as read back from the kernel
          --vm LIST            only list (and fix) these comma-separated domains; the entitlement
                               still counts every running VM
          --Cgroups:UsageWindowSeconds=S   window of the CPU-use measurement (default 1; 0 = none)
          --Paths:QemuPidDirectory=DIR     libvirt's QEMU pid files (default /run/libvirt/qemu)
          --Host:ReservedCpu=V, --Host:ReservedMem=V   RESERVED_CPU / RESERVED_MEM of the host template
                               (absolute, N%, negative = overcommit), for MAX_CPU / MAX_MEM

        Expected share: ceil(CPU x 1024) in [2, 262144] when the cpu controller is on cgroup v1,
        ceil(CPU x 100) in [1, 10000] on cgroup v2 (single precision, as oned). CPU comes from vm.xml
        in the VM's system datastore directory; fallback: the domain XML <shares> divided by the base
        of OpenNebula's CGROUPS_VERSION for the host (marked *). Entitlement: MAX_CPU/100 cores shared
        by weighted max-min fairness over the applied weights, capped by vCPUs.
        Flags: starved = using less than its entitlement while throttled or stalled on CPU;
        noisy = using more than its entitlement while the VMs keep the cores >= 90 % busy.
        Exit status: 0 no drift (or all fixed); 1 drift left, a VM unreadable, or no cgroups.
        """ + Common;
}
