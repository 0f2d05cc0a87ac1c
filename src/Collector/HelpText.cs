using System.CommandLine;
using System.CommandLine.Help;

namespace OneKvm.Collector;

/// <summary>
/// The text of <c>--help</c> / <c>help COMMAND</c>: the command's description, its options as
/// System.CommandLine lists them from <see cref="CliCommands"/>, then its configuration keys.
/// </summary>
public static class HelpText
{
    /// <summary>Writes the help of <paramref name="topic"/> (<c>""</c> = the main help).</summary>
    public static void Write(string topic, TextWriter output)
    {
        var root = CliCommands.Build(new CliSymbols());
        var result = root.Parse(topic.Length == 0 ? ["--help"] : [topic, "--help"]);
        if (result.Action is HelpAction help) help.MaxWidth = 110;
        result.Invoke(new InvocationConfiguration { Output = output, EnableDefaultExceptionHandler = false });
        output.Write(topic switch
        {
            "agent" => AgentKeys,
            "serve" => ServeKeys,
            "cgroups" => CgroupsKeys,
            "targets" => TargetsNotes,
            _ => MainCommands,
        });
        output.WriteLine();
        // targets runs on the front-end without the host configuration.
        output.Write(topic == "targets" ? TargetsExit : Common);
        output.WriteLine();
    }

    public const string RootIntro = """
        onekvm-probe: OpenNebula KVM host agent (probes, Prometheus exporter, cgroup audit).

          onekvm-probe --once [--category LIST]   print OpenNebula probe output once
          onekvm-probe agent                      push probe messages to monitord (MONITOR_CONFIGURATION on stdin)
          onekvm-probe serve [--listen ADDR:PORT] Prometheus endpoint at /metrics (default 0.0.0.0:9926)
          onekvm-probe cgroups [--format json] [--fix]  VM cgroup CPU-share audit and host reservations
          onekvm-probe targets [--hosts FILE]     Prometheus file_sd targets from `onehost list -x`
          onekvm-probe help COMMAND               help of one command (also: COMMAND --help)
        """;

    public const string TargetsIntro = """
        onekvm-probe targets: Prometheus file-based service discovery for an OpenNebula fleet.
          onehost list -x | onekvm-probe targets --output /etc/prometheus/onekvm-targets.json
          onekvm-probe targets --hosts hosts.xml [--port 9926] [--all]

        Reads the XML of `onehost list -x` (HOST_POOL) and writes one target NAME:PORT per KVM host
        with the labels one_host_id, one_host_name, cluster and one_cluster_id (JSON, as file_sd_configs
        reads it; --output replaces the file atomically, else stdout). Disabled and offline hosts are
        left out unless --all is given. Scrape configuration: dashboards/prometheus/onekvm-scrape.yml.
        """;

    public const string AgentIntro = """
        onekvm-probe agent: drop-in for OpenNebula's monitord client (monitord-client.rb).
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
        SIGTERM or SIGINT stops the agent. Log lines go to stderr (journald under systemd), never stdout.
        """;

    public const string ServeIntro = """
        onekvm-probe serve: Prometheus exporter (replaces OpenNebula's libvirt exporter on 9926).
          onekvm-probe serve [--listen ADDR:PORT] [options]

        One host sample per tick (domains, kernel, cgroups; every the shortest of the vm_stats and
        cgroups intervals) gives the data families; the categories not excluded and a libvirt
        check (the daemon's version) run on their own timers for their health, over the same
        libvirt connection and cached samples. The exposition is built when a tick's results
        arrive; a scrape copies its bytes (never calls libvirt or reads files), and concurrent
        scrapes get identical bodies.

        Families: onekvm_vm_* (counters with _total, seconds and bytes, full precision;
        onekvm_vm_cpu_usage_ratio = MONITOR_VM CPU / 100, 1 = one host CPU busy),
        onekvm_host_*, onekvm_vm_cgroup_*; health: onekvm_probe_success{probe},
        onekvm_probe_duration_seconds{probe}, onekvm_probe_last_success_timestamp_seconds{probe},
        onekvm_libvirt_up, onekvm_build_info; and, unless switched off, OpenNebula's
        opennebula_libvirt_* families with their labels (domain, one_vm_id, one_vm_name, …) and
        opennebula_libvirt_daemon_up. Series of vanished VMs, disks and NICs are removed.
        """;

    public const string CgroupsIntro = """
        onekvm-probe cgroups: CPU-share audit of the running VMs over a window (two reads --window
        seconds apart), host reservations.

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
        --fix sets cpu_shares of the live domain through libvirt and reports before/after as read
        back from the kernel; with --vm the entitlement still counts every running VM, and a --vm
        domain that is not running is an error.
        Exit status: 0 clean; 1 drift left (after --fix: a fix failed) or a VM starved or noisy;
        2 bad command line; 3 something could not be read (no cgroups, libvirt, a running VM's
        cgroup missing, a --vm domain not running); 3 wins over 1. A VM whose cgroup vanished
        mid-read (stopping) is skipped with a warning.
        """;

    private const string MainCommands = """

        Commands: agent, serve, cgroups, targets (onekvm-probe help COMMAND).

        """;

    private const string AgentKeys = """

        Configuration keys:
          --Agent:DbDirectory=DIR          upstream's one_db directory (default /var/tmp/one_db)
          --Agent:MonitordConfPath=FILE    monitord.conf location (default DIR/etc/monitord.conf)
          --Agent:TimeoutSeconds=N         abandon a category run after N s (default: its period)

        Example (what the IM driver does over ssh):
          SSH_CLIENT="192.0.2.10 50000 22" onekvm-probe agent < /var/tmp/one_db/config

        """;

    private const string ServeKeys = """

        Configuration keys:
          --Serve:IntervalSeconds=N             collection interval of every probe (1 to 86400, default 15)
          --Serve:Intervals:NAME=N              interval of one probe (default system_host=300)
          --Serve:ExcludeCategories:0=NAME      probes not run; a list replaces the default
                                                (state_vm, monitor_vm, poll)
          --Serve:OpenNebulaLibvirtMetrics=false  drop the opennebula_libvirt_* families

        --web.config.file (Serve:WebConfigFile) is exporter-toolkit's web configuration (YAML):
        tls_server_config (cert_file, key_file, client_ca_file, client_auth_type) and
        basic_auth_users (user: bcrypt hash, e.g. from htpasswd -nBC 10).

        Paths: /metrics (gzip when accepted), / (status page: host, probes, VM table), /-/healthy,
        /-/ready (503 until every probe has run once). Methods other than GET and HEAD get 405.
        Also process_* and dotnet_* (the exporter's own CPU, memory, GC) and onekvm_build_info{version,revision}.

        Example:
          onekvm-probe serve --listen 127.0.0.1:9926 &
          curl -s http://127.0.0.1:9926/metrics

        """;

    private const string TargetsNotes = """

        Example (cron on the front-end):
          */5 * * * * onehost list -x | onekvm-probe targets --output /etc/prometheus/onekvm-targets.json

        """;

    private const string TargetsExit = """
        Exit status: 0 written; 1 the output could not be written; 2 malformed XML (file and line named) or usage.

        """;

    private const string CgroupsKeys = """

        Configuration keys:
          --Cgroups:WindowSeconds=S        seconds between the two reads (--window, default 5)
          --Cgroups:ToleranceCores=C, --Cgroups:ToleranceRatio=R   margin around the entitlement
                                           before a VM is flagged: the larger of C cores (0.05) and
                                           R x entitlement (0.10)
          --Cgroups:PressureThreshold=P    PSI "some" share of the window that counts as wanting more (0.10)
          --Cgroups:CapRatio=R             use >= R x vCPUs counts as running at its cap (0.90)
          --Cgroups:IdleCores=C            below C cores and unthrottled a VM is idle, never flagged (0.02)
          --Paths:QemuPidDirectory=DIR     libvirt's QEMU pid files (default /run/libvirt/qemu)
          --Host:ReservedCpu=V, --Host:ReservedMem=V   RESERVED_CPU / RESERVED_MEM of the host template
                                           (absolute, N%, negative = overcommit), for MAX_CPU / MAX_MEM

        """;

    private const string Common = """
        Configuration (lowest to highest precedence): built-in defaults; /etc/one/onekvm.json or
        --config FILE; kvmrc (LIBVIRT_URI and the other variables); environment ONEKVM_Section__Key;
        command line --Section:Key=VALUE (e.g. --Libvirt:TimeoutSeconds=5). Unknown keys, values of the
        wrong type or out of range are errors naming the key and where it was set. A list given in a
        layer replaces the list below it.

        Exit status: 0 success; 1 a category or command failed (message on stderr); 2 usage or
        configuration error; 70 internal error (one line, and a log entry for serve and agent);
        130 interrupted; agent: 255 when its start-up fails (as upstream).

        """;
}
