using System.Security;
using System.Text;

namespace OneKvm.Driver.Tests.Support;

/// <summary>A <c>VMM_DRIVER_ACTION_DATA</c> document as oned sends it, for the tests.</summary>
internal static class ActionData
{
    public static string Xml(string deployId, string template, string host = "localhost", string datastore = "") =>
        $"<VMM_DRIVER_ACTION_DATA><HOST>{host}</HOST><MIGR_HOST>/</MIGR_HOST><DEPLOY_ID>{SecurityElement.Escape(deployId)}</DEPLOY_ID>"
        + "<LOCAL_DEPLOYMENT_FILE/><REMOTE_DEPLOYMENT_FILE/><CHECKPOINT_FILE/><TM_COMMAND/><TM_COMMAND_ROLLBACK/><DISK_TARGET_PATH/>"
        + $"<VM><ID>0</ID><TEMPLATE>{template}</TEMPLATE></VM><DATASTORE>{datastore}</DATASTORE></VMM_DRIVER_ACTION_DATA>";

    public static string Base64(string xml) => Convert.ToBase64String(Encoding.UTF8.GetBytes(xml));
}
