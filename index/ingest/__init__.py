"""Stories from anywhere: fetching a page safely (fetch), turning a page, a file or pasted text into
a story file and updating the index (article), and what changed between two versions of a story
(changes), which `storybot add` reports and /follow notices quote."""
