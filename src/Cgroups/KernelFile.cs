using System.Diagnostics.CodeAnalysis;

namespace OneKvm.Cgroups;

/// <summary>Reads small kernel files to EOF. "Absent" is normal for kernel files and is not an error.</summary>
public static class KernelFile
{
    /// <summary>Reads the whole file, or returns false when it does not exist (or vanished mid-read).</summary>
    public static bool TryRead(string path, [NotNullWhen(true)] out string? text)
    {
        try
        {
            text = File.ReadAllText(path);
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            text = null;
            return false;
        }
        catch (IOException e) when (e.HResult == 19 /* ENODEV: process or device gone */ || e.HResult == 3 /* ESRCH */)
        {
            text = null;
            return false;
        }
    }

    /// <summary>Reads the whole file; a missing file is an error naming the path.</summary>
    public static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KernelFileException(path, e.Message, e);
        }
    }

    /// <summary>Reads a file holding one trimmed value, or null when absent.</summary>
    public static string? ReadValueOrNull(string path) => TryRead(path, out var text) ? text.Trim() : null;
}

/// <summary>A kernel file that could not be read or parsed; the message names the file (and line).</summary>
public sealed class KernelFileException : Exception
{
    public KernelFileException(string path, string message, Exception? inner = null)
        : base($"{path}: {message}", inner) => FilePath = path;

    public KernelFileException(string path, int line, string message)
        : base($"{path}:{line}: {message}") => FilePath = path;

    public string FilePath { get; } = "";
}
