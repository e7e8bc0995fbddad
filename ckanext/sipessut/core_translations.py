"""CKAN's own strings on the dataset journey, which this extension translates into Indonesian.

Why this exists: CKAN's Indonesian catalog (`ckan/i18n/id`) is mostly empty (in CKAN 2.12.0,
962 of its 1213 messages are untranslated, and newer msgids are missing altogether), so with
`ckan.locale_default = id` visitors and stewards would meet English all over the dataset pages.
CKAN (Flask-Babel) loads its own catalog first and then merges the catalog of every
ITranslation plugin over it (`ckan/config/middleware/flask_app.py`, flask_babel's
`Domain.get_translations`): a msgid that our `ckanext-sipessut` catalog translates shows in
Indonesian on CKAN's core pages too.

This module only *lists* those msgids, with gettext markers, so that `make i18n` extracts them
into our catalog; their Indonesian lives in `i18n/id/LC_MESSAGES/ckanext-sipessut.po`. Nothing
imports it at run time; the tests read it. The list covers what the dataset journey shows
(CKAN 2.12 and 2.11 wording, where they differ) and that CKAN leaves untranslated; a msgid
CKAN's catalog already translates is not repeated, nor is one whose Indonesian is the English
("Data", "URL:").

Plural forms: the merged catalog takes its plural rule from the catalog loaded last, ours
(two forms), so a plural message that CKAN's catalog translates with its single form only
falls back to English for n != 1 unless we give both forms too: see ALSO_TRANSLATED_BY_CKAN.

To add a string: copy the msgid exactly as CKAN has it (from the template or the code, with
Jinja's whitespace trimmed, `{% trans %}` variables as `%(name)s`), add it below under its page
with `N_()` (or `ngettext()` for a singular/plural pair), run `make i18n`, translate it in the
id catalog, and run `make i18n` again to compile.
"""

from __future__ import annotations

Message = str | tuple[str, str]


def N_(message: str) -> str:
    """Marks a message for extraction by `make i18n`; CKAN translates it where it renders it."""
    return message


def ngettext(singular: str, plural: str) -> tuple[str, str]:
    """Marks a singular/plural pair (Babel's `ngettext` keyword) for extraction."""
    return singular, plural


# Header, navigation, breadcrumbs and footer of every page.
HEADER_AND_FOOTER: tuple[Message, ...] = (
    N_("Skip to main content"),
    N_("Account"),
    N_("Log in"),
    N_("Navigate to Home - {site_title}"),  # CKAN 2.12
    N_("Toggle navigation"),
    N_("Search Datasets..."),
    N_("Search datasets..."),
    N_("Submit"),
    N_("View profile"),
    N_("View dashboard"),
    N_("Profile settings"),
    N_("Sysadmin settings"),
    ngettext("Dashboard (%(num)d new item)", "Dashboard (%(num)d new items)"),
    N_("Breadcrumb"),
    N_("About {0}"),
    N_("CKAN API"),
    N_("CKAN Association"),
    N_(
        '<strong>Powered by</strong> <a class="hide-text ckan-footer-logo" '
        'href="http://ckan.org">CKAN</a>',
    ),
    N_("Language"),
    N_("Go"),
    N_("Social"),
)

# Home page (CKAN's default content until the portal sets its own).
HOME: tuple[Message, ...] = (
    N_("Welcome to CKAN"),
    N_(
        "This is a nice introductory paragraph about CKAN or the site in general. We "
        "don't have any copy to go here yet but soon we will",
    ),
    N_("This is a featured section"),
    N_("Placeholder"),  # CKAN 2.12
    N_("Search data"),
    N_("E.g. environment"),
    N_("Search datasets"),
    N_("Popular tags"),
    N_("Search datasets with the tag: {tag}"),  # CKAN 2.12
)

# Login, logout and error pages.
LOGIN: tuple[Message, ...] = (
    N_("Username or Email"),
    N_("Remember me"),
    N_("Forgotten your password?"),
    N_("No problem, use our password recovery form to reset it."),
    N_("Need an Account?"),
    N_("Then sign right up, it only takes a minute."),
    N_("Create an Account"),
    N_("Login failed. Bad username or password or CAPTCHA."),
    N_("Logged Out"),
    N_("You are now logged out."),
    N_("You're already logged in"),
    N_("You're already logged in as {user}."),
    N_("You need to log out before you can log in with another account."),
    N_("Log out now"),
    N_("Error %(error_code)s"),
    N_("You might need to login to access this page."),
    N_("Click here to login"),
)

# Dataset search (also the search on an organization's page): box, counts, sorting, facets.
SEARCH: tuple[Message, ...] = (
    ngettext("{number} dataset found", "{number} datasets found"),
    ngettext('{number} dataset found for "{query}"', '{number} datasets found for "{query}"'),
    N_("No datasets found"),
    N_('No datasets found for "{query}"'),
    N_('<p class="extra">Please try another search.</p>'),
    N_(
        '<p id="search-error"><strong>There was an error while searching.</strong> '
        "Please try again.</p>",
    ),
    N_("Invalid search query: {error_message}"),
    N_("Order by"),
    N_("Name Ascending"),
    N_("Name Descending"),
    N_("Filter Results"),
    N_("Formats"),
    N_("Licenses"),
    N_("Filter by: {title}"),  # CKAN 2.12
    N_("Search datasets by {name}: {label}"),  # CKAN 2.12
    N_("There are no {facet_type} that match this search"),
    N_("Show More {facet_type}"),
    N_("Show Only Popular {facet_type}"),
    N_("Remove applied filter: {value}"),  # CKAN 2.12
    N_("Remove"),
    N_("close"),  # CKAN 2.12
    N_("You can also access this registry using the %(api_link)s (see %(api_doc_link)s)."),
    N_("Navigate to dataset: {title}"),  # CKAN 2.12
    N_("There is no description for this dataset."),  # CKAN 2.12
    N_("There is no description for this dataset"),  # CKAN 2.11
    N_("Draft"),
    N_("Deleted"),
)

# A dataset's page: tabs, resources list, sidebar, additional info, groups tab.
DATASET_PAGE: tuple[Message, ...] = (
    N_("Manage"),
    N_("Activity Stream"),
    N_("Data and Resources"),
    N_("This dataset has no data"),
    N_('<p class="empty">This dataset has no data, <a href="%(url)s">why not add some?</a></p>'),
    N_("Navigate to resource: {name_or_id}"),  # CKAN 2.12
    N_("Navigate to resource: {name}"),  # CKAN 2.12
    N_("Explore"),
    N_("More information"),
    N_("Go to resource"),
    N_("Edit resource"),
    N_("Views"),
    N_("Search datasets with the tag: {name}"),  # CKAN 2.12
    N_("Additional Info"),
    N_("Last Updated"),
    N_("read more"),
    N_("No License Provided"),
    N_("There are no groups associated with this dataset."),  # CKAN 2.12
    N_("There are no groups associated with this dataset"),  # CKAN 2.11
    N_("Add to group"),
    N_("Associate this group with this dataset"),
)

# A resource's page: buttons, URL, views (previews), additional information.
RESOURCE_PAGE: tuple[Message, ...] = (
    N_("Current resource: {name}"),  # CKAN 2.12
    N_("Resource URL: {url}"),  # CKAN 2.12
    N_("Dataset description:"),
    N_('Source: <a href="%(url)s">%(dataset)s</a>'),
    N_("There are no views created for this resource yet."),
    N_("Not seeing the views you were expecting?"),
    N_("Click here for more information."),
    N_("Here are some reasons you may not be seeing expected views:"),
    N_("No view has been created that is suitable for this resource"),
    N_("The site administrators may not have enabled the relevant view plugins"),
    N_(
        "If a view requires the DataStore, the DataStore plugin may not be enabled, or "
        "the data may not have been pushed to the DataStore, or the DataStore hasn't "
        "finished processing the data yet",
    ),
    N_("Data last updated"),
    N_("Metadata last updated"),
    N_("unknown"),
    N_("Unnamed resource"),
    N_("Download resource"),
    N_("Fullscreen"),
    N_("Embed resource view"),
    N_("You can copy and paste the embed code into a CMS or blog software that supports raw HTML"),
    N_("Width"),
    N_("Height"),
    N_("Close"),  # CKAN 2.11
    N_("Close modal"),  # CKAN 2.12
    N_("This resource view is not available at the moment."),
    N_("Your browser does not support iframes."),
    N_("This resource has no views"),
    N_("New view"),
    N_("Just now"),
    N_("{bytes} bytes"),
)

# Organization (OPD) list and an organization's pages.
ORGANIZATIONS: tuple[Message, ...] = (
    N_("What are Organizations?"),
    N_(
        "CKAN Organizations are used to create, manage and publish collections of "
        "datasets. Users can have different roles within an Organization, depending on "
        "their level of authorisation to create, edit and publish.",
    ),
    N_("Search organizations..."),
    ngettext("{number} organization found", "{number} organizations found"),
    ngettext(
        '{number} organization found for "{query}"',
        '{number} organizations found for "{query}"',
    ),
    N_("No organizations found"),
    N_('No organizations found for "{query}"'),
    N_("There are currently no organizations for this site"),
    N_("How about creating one?"),
    N_("Add Organization"),
    ngettext(  # also in CKAN's catalog, one form only: see ALSO_TRANSLATED_BY_CKAN
        "{num} Dataset",
        "{num} Datasets",
    ),
    ngettext("{num} Member", "{num} Members"),
    N_("0 Members"),
    N_("View {organization_name}"),
    N_("View {name}"),
    N_("Open details page for {name}"),  # CKAN 2.12
    N_("There is no description for this organization."),  # CKAN 2.12
    N_("There is no description for this organization"),  # CKAN 2.11
    N_("Datasets in organization: {group}"),  # CKAN 2.11
)

# The dataset form (core and ckanext-scheming): stages, labels, help, buttons, delete dialog.
DATASET_FORM: tuple[Message, ...] = (
    N_("Create Dataset"),
    N_("Add data"),
    N_("What are datasets?"),
    N_(
        "A CKAN Dataset is a collection of data resources (such as files), together "
        "with a description and other information, at a fixed URL. Datasets are what "
        "users see when searching for data.",
    ),
    N_("Visibility"),
    N_("No organization"),
    N_("No Organization"),
    N_("Active"),
    N_("Required field"),
    N_(
        'You can use <a href="#markdown" title="Markdown quick reference" '
        'data-bs-toggle="popover" data-bs-content="%(markdown_tooltip)s" '
        'data-bs-html="true">Markdown formatting</a> here',
    ),
    N_("eg. A descriptive title"),
    N_("eg. my-dataset"),
    N_("eg. Some useful notes about the data"),
    N_("eg. economy, mental health, government"),
    N_("Please select the license"),
    N_("License not specified"),
    N_(
        "License definitions and additional information can be found at <a "
        'href="http://opendefinition.org/licenses/">opendefinition.org</a>',
    ),
    N_(
        "The <i>data license</i> you select above only applies to the contents of any "
        "resource files that you add to this dataset. By submitting this form, you "
        "agree to release the <i>metadata</i> values that you enter into the form under "
        'the <a href="http://opendatacommons.org/licenses/odbl/1-0/">Open Database '
        "License</a>.",
    ),
    N_("Next: Add Data"),
    N_("Next"),
    N_("Update {page}"),
    N_("Update Dataset"),
    N_("Unpublish"),  # CKAN 2.12
    N_("Are you sure you want to delete this dataset?"),
    N_("Confirm Delete"),
    N_("Are you sure you want to delete dataset - {name}?"),
    N_("Reorder resources"),
    N_("View dataset"),
    N_("Manage resource: {name}"),
    N_("These fields have been removed, click update below to save your changes."),
    N_("These fields have been removed."),
    N_("Add {object_type}"),
    N_("Create {object_type}"),
    N_("View {object_type}"),
    N_("Save {object_type}"),
    N_("Update {object_type}"),
    N_("{object_type}s"),
    N_("Search {object_type}s..."),
    N_("Are you sure you want to delete this {object_type}?"),
    N_("There is no description for this {object_type}."),  # CKAN 2.12
    N_("There is no description for this {object_type}"),  # CKAN 2.11
    N_("There are currently no {object_type}s for this site."),  # CKAN 2.12
    N_("There are currently no {object_type}s for this site"),  # CKAN 2.11
)

# The resource form (stage 2 of a new dataset, new and edit resource), delete dialog.
RESOURCE_FORM: tuple[Message, ...] = (
    N_("Add data to the dataset"),
    N_("Add New Resource"),
    N_("Add new resource"),
    N_("Add resource"),
    N_("New resource"),
    N_("What's a resource?"),
    N_("A resource can be any file or link to a file containing useful data."),
    N_("Upload a file on your computer"),
    N_("Link to a URL on the internet (you can also link to an API)"),
    N_("Link"),
    N_("File"),
    N_("Clear Upload"),
    N_("eg. January 2011 Gold Prices"),
    N_("Some useful notes about the data"),
    N_("eg. CSV, XML or JSON"),
    N_("Previous"),
    N_("Save & add another"),
    N_("Publish"),  # CKAN 2.12
    N_("Finish"),  # CKAN 2.11
    N_("Update Resource"),
    N_("View resource"),
    N_("Are you sure you want to delete this resource?"),
    N_("Are you sure you want to delete resource - {name}?"),
)

# Flash, error and validation messages met while creating or editing a dataset or resource
# (on the pages and through the API).
MESSAGES: tuple[Message, ...] = (
    N_("Dataset has been deleted."),
    N_("Resource has been deleted."),
    N_("%s has been deleted."),
    N_("Dataset not found or you have no permission to view it"),
    N_("The dataset {id} could not be found."),
    N_("Package not found"),
    N_("Organization not found"),
    N_("Page not found"),
    N_("Resource view not found"),
    N_("No resource data entered"),  # CKAN 2.12
    N_("You must add at least one data resource"),  # CKAN 2.11
    N_("Unauthorized to read package"),
    N_("Unauthorized to read dataset %s"),
    N_("Unauthorized to update a dataset"),
    N_("Unauthorized to update dataset"),
    N_("Unauthorized to delete package %s"),
    N_("Unauthorized to create a resource"),
    N_("Unauthorized to create a resource for this package"),
    N_("Unauthorized to edit this resource"),
    N_("Unauthorized to delete resource %s"),
    N_("Not authorized to download resource"),
    N_("User %s not authorized to add dataset to this organization"),
    N_("User %s not authorized to create resources on dataset %s"),
    N_("User %s not authorized to edit resource %s"),
    N_("User %s not authorized to delete resource %s"),
    N_("Access denied: %s"),  # CKAN 2.12
    N_("Bad request: %s"),  # CKAN 2.12
    N_("Not found: %s"),  # CKAN 2.12
    N_("Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_"),
    N_(
        'Tag "%s" can only contain alphanumeric characters, spaces (" "), hyphens '
        '("-"), underscores ("_") or dots (".")',
    ),
    N_("An organization must be provided"),
    N_("Organization does not exist"),
    N_("Datasets with no organization can't be private."),
    N_("You cannot add a dataset to this organization"),
    N_("You cannot move this dataset to another organization"),
    N_("Value must be one of %s"),  # CKAN 2.12
    N_("Value must be one of {}"),  # CKAN 2.11
    N_("Not a string: %s"),  # CKAN 2.12
    N_("Not a string"),  # CKAN 2.11
    N_("Email {email} is not a valid format"),
    N_("Select at least one"),
    N_('unexpected choice "%s"'),
    N_("expecting list of strings"),
    N_("Date is required when a time is provided"),
    N_("Time format incorrect"),
    N_("This field is required"),  # CKAN 2.11
)

# The activity stream on dataset and organization pages, and a dataset's changes page.
ACTIVITY: tuple[Message, ...] = (
    N_("All activity types"),
    N_("Activity occurred on: {time}"),  # CKAN 2.12
    N_("dataset"),
    N_("{actor} created the {dataset_type} {dataset}"),
    N_("{actor} updated the {dataset_type} {dataset}"),
    N_("{actor} deleted the {dataset_type} {dataset}"),
    N_("{actor} added the resource {resource} to the dataset {dataset}"),
    N_("{actor} updated the resource {resource} in the dataset {dataset}"),
    N_("{actor} deleted the resource {resource} from the dataset {dataset}"),
    N_("{actor} added the tag {tag} to the dataset {dataset}"),
    N_("{actor} removed the tag {tag} from the dataset {dataset}"),
    N_("{actor} started following {dataset}"),
    N_("{actor} created the organization {organization}"),
    N_("{actor} updated the organization {organization}"),
    N_("View this version"),
    N_("No activity found"),
    N_("No activity found for this type"),
    N_("Newer activities"),
    N_("Older activities"),
    N_(
        "You're currently viewing an old version of this dataset. Data files may not "
        'match the old version of the metadata. <a href="%(url)s">View the current '
        "version</a>.",
    ),
    N_("Show metadata diff"),  # CKAN 2.12
    N_("Hide metadata diff"),  # CKAN 2.12
    N_("View changes from %(old_select)s to %(new_select)s"),  # CKAN 2.12
    N_("On %(timestamp)s, %(username)s:"),
    N_("No fields were updated. See the metadata diff for more details."),
    N_("Changed title to {title_link} (previously {old_title})"),
    N_("Removed description from {pkg_link}"),
    N_(
        "Updated description of {pkg_link} from <br "
        'class="line-height2"><blockquote>{old_notes}</blockquote> to <br '
        'class="line-height2"><blockquote>{new_notes}</blockquote>',
    ),
    N_(
        "Updated description of {pkg_link} to <br "
        'class="line-height2"><blockquote>{new_notes}</blockquote>',
    ),
    N_("Added tag {tag_link} to {pkg_link}"),
    N_("Removed tag {tag_link} from {pkg_link}"),
    N_("Added the following tags to {pkg_link}"),
    N_("Removed the following tags from {pkg_link}"),
    N_(  # CKAN 2.12
        'Changed the license of <a href="%(pkg_link)s">%(title)s</a> to %(new_license)s '
        "(previously %(old_license)s).",
    ),
    N_(  # CKAN 2.12
        'Changed the license of <a href="%(pkg_link)s">%(title)s</a> to %(new_license)s '
        '(previously <a href="%(old_url)s">%(old_license)s</a>).',
    ),
    N_(  # CKAN 2.12
        'Changed the license of <a href="%(pkg_link)s">%(title)s</a> to <a '
        'href="%(new_url)s">%(new_license)s</a> (previously %(old_license)s).',
    ),
    N_(  # CKAN 2.12
        'Changed the license of <a href="%(pkg_link)s">%(title)s</a> to <a '
        'href="%(new_url)s">%(new_license)s</a> (previously <a '
        'href="%(old_url)s">%(old_license)s</a>).',
    ),
    N_("Added {pkg_link} to organization {new_org_link}"),
    N_("Moved {pkg_link} from organization {old_org_link} to organization {new_org_link}"),
    N_("Removed {pkg_link} from organization {old_org_link}"),
    N_("Set visibility of {pkg_link} to {visibility}"),
    N_("Set maintainer of {pkg_link} to {new_maintainer}"),
    N_("Set maintainer of {pkg_link} to {new_maintainer} (previously {old_maintainer})"),
    N_("Removed maintainer from {pkg_link}"),
    N_(  # CKAN 2.12
        'Set maintainer email of <a href="%(pkg_link)s">%(title)s</a> to <a '
        'href="mailto:%(new_maintainer_email)s">%(new_maintainer_email)s</a> '
        "(previously <a "
        'href="mailto:%(old_maintainer_email)s">%(old_maintainer_email)s</a>).',
    ),
    N_(  # CKAN 2.12
        'Set maintainer email of <a href="%(pkg_link)s">%(title)s</a> to <a '
        'href="mailto:%(new_maintainer_email)s">%(new_maintainer_email)s</a>.',
    ),
    N_('Removed maintainer email from <a href="%(pkg_link)s">%(title)s</a>.'),  # CKAN 2.12
    N_(
        "Changed value of field <q>{key}</q> to <q>{new_val}</q> (previously "
        "<q>{old_val}</q>) in {pkg_link}",
    ),
    N_("Changed value of field <q>{key}</q> to <q>{new_val}</q> in {pkg_link}"),
    N_("Changed value of field <q>{key}</q> to <q>{value}</q> in {pkg_link}"),
    N_("Added field <q>{key}</q> to {pkg_link}"),
    N_("Added field <q>{key}</q> with value <q>{value}</q> to {pkg_link}"),
    N_("Added the following fields to {pkg_link}"),
    N_("Removed field <q>{key}</q> from {pkg_link}"),
    N_("Removed the following fields from {pkg_link}"),
    N_("{key} with value {value}"),
    N_("Added resource {resource_link} to {pkg_link}"),
    N_("Deleted resource {resource_link} from {pkg_link}"),
    N_("Renamed resource {old_resource_link} to {new_resource_link} in {pkg_link}"),
    N_("Uploaded a new file to resource {resource_link} in {pkg_link}"),
    N_("Removed description from resource {resource_link} in {pkg_link}"),
    N_(
        "Updated description of resource {resource_link} in {pkg_link} from <br "
        'class="line-height2"><blockquote>{old_desc}</blockquote> to <br '
        'class="line-height2"><blockquote>{new_desc}</blockquote>',
    ),
    N_(
        "Updated description of resource {resource_link} in {pkg_link} to <br "
        'class="line-height2"><blockquote>{new_desc}</blockquote>',
    ),
    N_(  # CKAN 2.12
        'Set format of resource <a href="%(resource_url)s">%(resource_name)s</a> to <a '
        'href="%(format_url)s">%(format)s</a> in <a href="%(pkg_link)s">%(title)s</a>.',
    ),
    N_(  # CKAN 2.12
        'Set format of resource <a href="%(resource_url)s">%(resource_name)s</a> to <a '
        'href="%(new_format_url)s">%(new_format)s</a> (previously <a '
        'href="%(old_format_url)s">%(old_format)s</a>).',
    ),
    N_("Added field <q>{key}</q> to resource {resource_link} in {pkg_link}"),
    N_(
        "Added field <q>{key}</q> with value <q>{value}</q> to resource {resource_link} "
        "in {pkg_link}",
    ),
    N_("Added the following fields to resource {resource_link} in {pkg_link}"),
    N_(
        "Changed value of field <q>{key}</q> of resource {resource_link} to "
        "<q>{new_val}</q> (previously <q>{old_val}</q>) in {pkg_link}",
    ),
    N_(
        "Changed value of field <q>{key}</q> to <q>{new_val}</q> in resource "
        "{resource_link} in {pkg_link}",
    ),
    N_("Removed field <q>{key}</q> from resource {resource_link} in {pkg_link}"),
    N_("Removed the following fields from resource {resource_link} in {pkg_link}"),
    N_("Removed the value of field <q>{key}</q> in resource {resource_link} in {pkg_link}"),
)

# A steward's dashboard, where CKAN sends them after logging in.
DASHBOARD: tuple[Message, ...] = (
    N_("News feed"),
    N_("Activity from items that I'm following"),
    N_("My Datasets"),
    N_("My Organizations"),
    N_("My Groups"),
    N_("You haven't created any datasets."),
    N_("You are not a member of any organizations."),
    N_("You are not a member of any groups."),
    N_("Create one now?"),
)

# Pages of the portal's journeys the sweep (tests/portal/test_language.py) found in English:
# the login form, the metadata tables, the search pages of kegiatan and indikator (CKAN
# builds their msgids from the type's name), the group pages, the dashboard's news feed and
# the activity stream's resource views.
PORTAL_JOURNEYS: tuple[Message, ...] = (
    N_("Password"),
    N_("Field"),
    N_("Edit metadata"),
    N_("Edit"),
    ngettext("{number} kegiatan found", "{number} kegiatans found"),
    ngettext('{number} kegiatan found for "{query}"', '{number} kegiatans found for "{query}"'),
    N_("No kegiatans found"),
    N_('No kegiatans found for "{query}"'),
    ngettext("{number} indikator found", "{number} indikators found"),
    ngettext('{number} indikator found for "{query}"', '{number} indikators found for "{query}"'),
    N_("No indikators found"),
    N_('No indikators found for "{query}"'),
    N_("What are Groups?"),
    N_(
        "You can use CKAN Groups to create and manage collections of datasets. This could be "
        "to catalogue datasets for a particular project or team, or on a particular theme, or "
        "as a very simple way to help people find and search your own published datasets.",
    ),
    N_("Search groups..."),
    ngettext("{number} group found", "{number} groups found"),
    ngettext('{number} group found for "{query}"', '{number} groups found for "{query}"'),
    N_("No groups found"),
    N_('No groups found for "{query}"'),
    N_("There are currently no groups for this site."),  # CKAN 2.12
    N_("There are currently no groups for this site"),  # CKAN 2.11
    N_("Activity from:"),
    N_("Everything"),
    N_("Search followee"),
    N_("Search list..."),
    N_("You are not following anything"),
    N_("This information is visible to you and admins"),  # CKAN 2.12
    N_("{actor} created resource view {view_link}"),  # CKAN 2.12
    N_("{actor} updated resource view {view_link}"),  # CKAN 2.12
)

# Translated by CKAN's catalog, in words a citizen or an officer would not understand:
# our catalog says it again, plainly (it is merged over CKAN's).
REWORDED: tuple[Message, ...] = (
    N_("The form contains invalid entries:"),  # CKAN: "Terdapat entitas cacat pada formulir:"
)

ALL: tuple[Message, ...] = (
    *HEADER_AND_FOOTER,
    *HOME,
    *LOGIN,
    *SEARCH,
    *DATASET_PAGE,
    *RESOURCE_PAGE,
    *ORGANIZATIONS,
    *DATASET_FORM,
    *RESOURCE_FORM,
    *MESSAGES,
    *ACTIVITY,
    *DASHBOARD,
    *PORTAL_JOURNEYS,
    *REWORDED,
)

# Translated by CKAN's catalog too, but with one plural form: repeated here with both forms
# (see the module's docstring), or "22 Datasets" would show in English on the OPD list.
ALSO_TRANSLATED_BY_CKAN: frozenset[str] = frozenset({"{num} Dataset", *REWORDED})
