"""The numbers of MS Project's XML format (MSPDI) that cutover reads and writes.

From Microsoft's "Project XML Data Interchange Schema Reference"; the custom field ids are
the ones MS Project and MPXJ use (Text1 is 188743731).
"""

from __future__ import annotations

NAMESPACE = "http://schemas.microsoft.com/project"
#: PredecessorLink/Type: 0 FF, 1 FS, 2 SF, 3 SS.
LINK_TYPES = {"0": "FF", "1": "FS", "2": "SF", "3": "SS"}
LINK_CODES = {name: code for code, name in LINK_TYPES.items()}
#: Duration and lag formats: working minutes, hours, days, weeks, months (and their
#: "estimated" forms 35 and up); elapsed ones; percentages (lags only).
WORKING_FORMATS = {"3", "5", "7", "9", "11", "35", "37", "39", "41", "43", "53"}
ELAPSED_FORMATS = {"4", "6", "8", "10", "12", "36", "38", "40", "42", "44", "54"}
PERCENT_FORMATS = {"19", "20", "51", "52"}
FORMAT_MINUTES, FORMAT_HOURS, FORMAT_DAYS = "3", "5", "7"
#: Elapsed minutes, hours and days (``em``, ``eh``, ``ed``): a levelling delay's formats.
FORMAT_ELAPSED_MINUTES, FORMAT_ELAPSED_HOURS, FORMAT_ELAPSED_DAYS = "4", "6", "8"
#: ConstraintType.
ASAP, ALAP, MSO, MFO, SNET, SNLT, FNET, FNLT = (str(code) for code in range(8))
CONSTRAINT_NAMES = {
    ALAP: "as late as possible",
    MSO: "must start on",
    MFO: "must finish on",
    SNET: "start no earlier than",
    SNLT: "start no later than",
    FNET: "finish no earlier than",
    FNLT: "finish no later than",
}
#: WeekDay/DayType: 0 an exception (MS Project 2003 style), 1 Sunday ... 7 Saturday.
#: cutover numbers days from Monday = 0.
DAY_TYPE_OF_WEEKDAY = {weekday: (weekday + 1) % 7 + 1 for weekday in range(7)}
WEEKDAY_OF_DAY_TYPE = {str(code): weekday for weekday, code in DAY_TYPE_OF_WEEKDAY.items()}

#: Custom fields: (field id, MS Project's name, the alias cutover gives it).
TEXT1 = ("188743731", "Text1", "cutover id")
TEXT2 = ("188743734", "Text2", "cutover time zone")
TEXT3 = ("188743737", "Text3", "deliverable")
TEXT4 = ("188743740", "Text4", "approver")
TEXT5 = ("188743743", "Text5", "estimate distribution")
TEXT6 = ("188743746", "Text6", "cutover level")
#: A gate's and a branch's keys (gate, branch, decision, decided_by, decided_at) as JSON.
TEXT7 = ("188743747", "Text7", "cutover runbook")
DURATION1 = ("188743783", "Duration1", "optimistic duration")
DURATION2 = ("188743784", "Duration2", "likely duration")
DURATION3 = ("188743785", "Duration3", "pessimistic duration")
CUSTOM_FIELDS = (TEXT1, TEXT2, TEXT3, TEXT4, TEXT5, TEXT6, TEXT7, DURATION1, DURATION2, DURATION3)
#: Resource/Type: 0 material, 1 work, 2 cost. MaxUnits and Assignment/Units: 1.0 is 100 %.
RESOURCE_MATERIAL, RESOURCE_WORK, RESOURCE_COST = "0", "1", "2"
#: A task's Priority when the file gives none (MS Project's default, and cutover's).
DEFAULT_PRIORITY = 500
