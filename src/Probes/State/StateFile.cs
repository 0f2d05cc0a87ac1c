using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OneKvm.Probes.State;

/// <summary>
/// Small JSON state kept between runs (previous CPU samples, STATE_VM memory) under
/// <see cref="ProbeSettings.StateDirectory"/>. Written atomically (temporary file + rename), so a
/// killed run never leaves half a file; an unreadable or corrupt file reads as "no state".
/// </summary>
public static class StateFile
{
    /// <summary>Loads <paramref name="name"/>, or returns null when it is absent or corrupt.</summary>
    public static T? Load<T>(ProbeSettings settings, string name, JsonTypeInfo<T> typeInfo) where T : class
    {
        var path = Path.Join(settings.StateDirectory, name);
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize(stream, typeInfo);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Saves <paramref name="value"/> like <see cref="Save"/>, but a directory that cannot be written
    /// is a warning (said once per process and file) instead of a failure: the caller's output does
    /// not depend on the file, only the next run's baseline does.
    /// </summary>
    public static void SaveOrWarn<T>(ProbeContext context, string name, T value, JsonTypeInfo<T> typeInfo)
    {
        try
        {
            Save(context.Settings, name, value, typeInfo);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (context.StateDirectoryReported) return;
            context.WarnOnce("state:" + name,
                $"warning: cannot write {Path.Join(context.Settings.StateDirectory, name)} ({e.Message}): the next run has no previous reading");
        }
    }

    /// <summary>Saves <paramref name="value"/> atomically (<see cref="OneKvm.Libvirt.Runtime.AtomicFile"/>), creating the directory if needed.</summary>
    public static void Save<T>(ProbeSettings settings, string name, T value, JsonTypeInfo<T> typeInfo) =>
        OneKvm.Libvirt.Runtime.AtomicFile.Write(Path.Join(settings.StateDirectory, name), stream => JsonSerializer.Serialize(stream, value, typeInfo));
}
