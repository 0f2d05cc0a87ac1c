using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace OneKvm.Probes.Host.Kernel;

/// <summary>
/// An exclusive <c>flock(2)</c> on a lock file, shared with OpenNebula's Ruby scripts (which lock the
/// same files with <c>File#flock</c>); waits at most a deadline, polling, then fails naming the file.
/// </summary>
public sealed class FileLock : IDisposable
{
    private readonly SafeFileHandle _file;

    private FileLock(SafeFileHandle file) => _file = file;

    public static async Task<FileLock> AcquireAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("flock is used on Linux only");
        var fd = NativeMethods.Open(path, NativeMethods.OpenWriteCreateCloseOnExec, 0x1b6 /* 0666, as Ruby's File.open(path, 'w') */);
        if (fd < 0) throw new IOException($"{path}: cannot open the lock file (errno {Marshal.GetLastPInvokeError()})");
        var file = new SafeFileHandle(fd, ownsHandle: true);
        var waited = Stopwatch.StartNew();
        while (NativeMethods.Flock(file, NativeMethods.LockExclusive | NativeMethods.LockNonBlocking) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno != 11 /* EWOULDBLOCK */ || waited.Elapsed > timeout)
            {
                file.Dispose();
                throw new IOException(errno == 11
                    ? $"{path}: still locked by another process after {timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s"
                    : $"{path}: flock failed (errno {errno})");
            }
            await Task.Delay(50, cancellationToken);
        }
        return new FileLock(file);
    }

    public void Dispose() => _file.Dispose(); // closing the descriptor releases the lock
}
