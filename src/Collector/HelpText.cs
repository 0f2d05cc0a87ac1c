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
        onekvm-probe agent: drop-in for OpenNebula's monitord client (monitord-client.rb).

        Usage:
          onekvm-probe agent [options] < MONITOR_CONFIGURATION.xml

        Start-up, as upstream:
          1. reads monitord's MONITOR_CONFIGURATION XML on stdin: HOST_ID, NETWORK/MONITOR_ADDRESS
             ("auto" = first field of $SSH_CLIENT), NETWORK/PORT (4124), NETWORK/PUBKEY (PKCS#1 PEM,
             may arrive flattened; empty = no encryption), PROBES_PERIOD/* (missing keys fall back to
             BEACON_HOST 30, SYSTEM_HOST 600, MONITOR_HOST 120, STATE_VM 5, EXEC_VM 5, MONITOR_VM 30,
             SYNC_STATE_VM 180), DATASTORE_LOCATION;
          2. writes DIR/config, DIR/.monitor_client.pid and DIR/etc/monitord.conf (for shell senders
             such as send_to_monitor), atomically;
          3. runs every category once and prints the MONITOR_MESSAGES document (plain Base64 bodies,
             TIMESTAMP), then detaches stdout. A failing category ends the document with its error
             and the agent exits -1 (255).
        Then each category runs on its own period and is sent as
          TYPE SUCCESS|FAILURE HOST_ID EPOCH Base64(zlib([RSA PKCS#1 v1.5](text)))
        to MONITOR_ADDRESS:PORT: STATE_VM over TCP (connect, send, close), the others over UDP. A
        MONITOR_VM too big for one datagram (65,507 bytes) is split between its VM entries; anything
        that still does not fit goes over TCP. Empty output is not sent; a failing category is sent
        as FAILURE "Error executing <category>: <message>". After a send error the category backs
        off 1, 1, 1, 2, 4, 8, 8, 16, 32, 64 s (then 64 s), keeping only its newest message.
        SIGTERM or SIGINT stops the agent.

        Agent options (configuration keys):
          --Agent:DbDirectory=DIR          upstream's one_db directory (default /var/tmp/one_db)
          --Agent:MonitordConfPath=FILE    monitord.conf location (default DIR/etc/monitord.conf)
          --Agent:TimeoutSeconds=N         abandon a category run after N s (default: its period)

        Example (what the IM driver does over ssh):
          SSH_CLIENT="192.0.2.10 50000 22" onekvm-probe agent < /var/tmp/one_db/config
        """ + Common;

    private const string Serve = """
        onekvm-probe serve: Prometheus exporter (replaces OpenNebula's libvirt exporter on 9926).

        Usage:
          onekvm-probe serve [--listen ADDR:PORT] [options]

        Every category (except state_vm) and a libvirt check (virsh version --daemon) run on their
        own timers; /metrics serves the text exposition of the latest results. A scrape never runs
        virsh or reads files, and concurrent scrapes within one collection get identical bodies.

        Families: onekvm_vm_* (counters with _total, seconds and bytes, full precision),
        onekvm_host_*, onekvm_vm_cgroup_*; health: onekvm_probe_success{probe},
        onekvm_probe_duration_seconds{probe}, onekvm_probe_last_success_timestamp_seconds{probe},
        onekvm_libvirt_up, onekvm_build_info; and, unless switched off, OpenNebula's
        opennebula_libvirt_* families with their labels (domain, one_vm_id, one_vm_name, …) and
        opennebula_libvirt_daemon_up. Series of vanished VMs, disks and NICs are removed.

        Serve options (configuration keys):
          --listen ADDR:PORT                    Serve:Listen, default 0.0.0.0:9926 (IPv4); [::]:9926 for IPv4
                                                and IPv6; 127.0.0.1:9926, [::1]:9926, localhost:9926
          --Serve:IntervalSeconds=N             collection interval of every probe (default 15)
          --Serve:Intervals:NAME=N              interval of one probe (default system_host=300)
          --Serve:ExcludeCategories:0=NAME      categories not run (default state_vm)
          --Serve:OpenNebulaLibvirtMetrics=false  drop the opennebula_libvirt_* families

        Example:
          onekvm-probe serve --listen 127.0.0.1:9926 &
          curl -s http://127.0.0.1:9926/metrics
        """ + Common;

    private const string Cgroups = """
        onekvm-probe cgroups: CPU-share audit of the running VMs over a window, host reservations.

          --window SECONDS     seconds between the two samples the audit compares (default 5)
          --format FORMAT      table (default) or json
          --fix                set drifted shares through libvirt (virsh schedinfo DOM --live --set
                               cpu_shares=N) and report before/after as read back from the kernel
          --vm LIST            only list (and fix) these comma-separated domains; the entitlement
                               still counts every running VM
          --Cgroups:ToleranceCores=C, --Cgroups:ToleranceRatio=R   margin around the entitlement
                               before a VM is flagged: the larger of C cores (0.05) and R x entitlement (0.10)
          --Cgroups:PressureThreshold=P    PSI "some" share of the window that counts as wanting more (0.10)
          --Cgroups:CapRatio=R             use >= R x vCPUs counts as running at its cap (0.90)
          --Cgroups:IdleCores=C            below C cores and unthrottled a VM is idle, never flagged (0.02)
          --Paths:QemuPidDirectory=DIR     libvirt's QEMU pid files (default /run/libvirt/qemu)
          --Host:ReservedCpu=V, --Host:ReservedMem=V   RESERVED_CPU / RESERVED_MEM of the host template
                               (absolute, N%, negative = overcommit), for MAX_CPU / MAX_MEM

        Promised share: OpenNebula's ceil(CPU x 1024) in [2, 262144] when the cpu controller is on
        cgroup v1, ceil(CPU x 100) in [1, 10000] on v2 (single precision, as oned); applied share: the
        VM's cpu.shares / cpu.weight; drift: they differ. CPU comes from vm.xml in the VM's system
        datastore directory; fallback: the domain XML <shares> divided by the base of OpenNebula's
        CGROUPS_VERSION for the host (marked *).
        Used: cgroup CPU time over the window. Capacity: the host's CPUs minus non-VM load
        (/proc/stat busy time minus the VMs' use). Demand: a VM that was throttled, waited for CPU
        (PSI) or ran at its vCPUs wants up to its vCPUs; any other VM wants what it used.
        Entitlement: weighted max-min fair share of the capacity by PROMISED share, capped by vCPUs
        and demand. starved = wanted more and got less than its entitlement; noisy = got more than
        its entitlement while another VM was starved; "who takes whose time" shares each starved
        VM's shortfall among the noisy VMs and says when drift explains it.
        Exit status: 0 clean; 1 drift left (after --fix: a fix failed) or a VM starved or noisy;
        2 bad command line; 3 something could not be read (no cgroups, libvirt, a running VM's
        cgroup missing); 3 wins over 1. A VM whose cgroup vanished mid-read (stopping) is skipped
        with a warning.
        """ + Common;
}
