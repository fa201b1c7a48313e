"""Texts written for the spin tests: a genuine report, a plain-style one, spun ones."""

from __future__ import annotations

# Written for these tests. A plain local news report...
GENUINE = (
    "The town council voted on Tuesday to keep the public library open on Sundays for "
    "another year. The decision followed a month of meetings in which residents asked "
    "for longer opening hours, especially for students who work during the week.\n\n"
    "The library will need two more staff members to cover the extra day. The council "
    "said the cost would be met from the existing budget, and that no new tax would be "
    "needed. Local schools welcomed the news and said many pupils use the library to do "
    "their homework and to read newspapers.\n\n"
    "The mayor said the service was one of the most popular in the region and that the "
    "council would review the hours again next spring."
)
# ...the same written in a plainer, slightly non-native style...
PLAIN = (
    "Yesterday I go to the market in my town with my brother. The market is very big and "
    "there are many people. We buy some apples, bread and fish for the dinner. My brother "
    "say the fish is more cheap than last week, maybe because the weather is good and the "
    "boats can go out every day. After the market we drink a coffee near the river and we "
    "talk about our family and about the new job of my sister in the city. It was a good "
    "day and we want to go again next Saturday if it is not raining."
)
# ...and the first report after a spinner swapped a fifth of its words for "synonyms".
SPUN = (
    "The township assembly balloted on Tuesday to retain the communal depository open on "
    "Sundays for another twelvemonth. The determination followed a calendar month of "
    "encounters in which occupants importuned for lengthier opening hours, particularly for "
    "scholars who toil during the hebdomad.\n\n"
    "The depository will require two more faculty members to overlay the supplementary day. "
    "The assembly aforesaid the toll would be met from the existent budget, and that no new "
    "revenue enhancement would be requisite. Local schoolhouses welcomed the intelligence and "
    "aforesaid many educatees utilise the depository to do their prep and to peruse newspapers.\n\n"
    "The city manager aforesaid the religious service was one of the most democratic in the "
    "area and that the assembly would reexamine the hours over again next outpouring."
)
# A report written for these tests with the swaps real spinners are known to make (from
# the tortured-phrase list: "profound learning", "irregular woodland", "flag to commotion").
TORTURED = (
    "Researchers at the institute built a system that predicts floods three days ahead. "
    "The team combined a profound learning model with rainfall records, and also tested a "
    "simpler model based on a irregular woodland, which worked well on small streams. The "
    "hardest part, they said, was the poor flag to commotion proportion of older gauges, "
    "which produce noisy readings during storms. The scientists wrote software to remove "
    "faulty readings before they reach the model, and they will publish the code this year."
)
# A report written for these tests (FARM_SOURCE) and a content farm's copy of it with the
# swaps issue 16 reports ("prime pastor"); the copy also holds the words a restorer must
# never change: a magnitude joined to a figure ("$3-billion"), a figure compound
# ("50-member"), pronoun contractions ("She's"), negations, a quote and repeated names.
FARM_SOURCE = (
    "The prime minister said on Tuesday that the government would sign a $3-billion "
    "contract with the shipbuilder, a decision that analysts say will reshape the country's "
    'defence industry for a decade. "We are not going to stand by while our shipyards '
    'close," she said at a news conference in the capital. Ms. Harper, who took office in '
    "March, has made domestic manufacturing the centrepiece of her economic plan. She's "
    "also pressing the 50-member alliance to raise its collective spending, a push that has "
    "irritated several partners. Analysts at the Institute for Strategic Studies warned that "
    "the deal could take years to deliver its first vessel, and that cost overruns are "
    "common in such projects. Harper dismissed those concerns, saying the shipbuilder had "
    "never missed a deadline on a government order. The opposition leader, Tom Ellis, called "
    "the deal a political stunt and demanded that parliament examine the figures before any "
    "money is spent."
)
FARM = (
    "The prime pastor said on Tuesday that the administration would sign a $3-billion "
    "contract with the shipbuilder, a choice that pundits say will reshape the nation's "
    'protection industry for 10 years. "We are not going to stand by while our shipyards '
    'close," she said at a news gathering in the capital. Ms. Harper, who took office in '
    "March, has made local manufacturing the centerpiece of her financial plan. She's also "
    "pressing the 50-member alliance to raise its shared spending, a push that has irritated "
    "several partners. Analysts at the Institute for Strategic Studies cautioned that the "
    "agreement could take a long time to deliver its first vessel, and that expense overruns "
    "are normal in such undertakings. Harper rejected those worries, saying the shipbuilder "
    "had never missed a cutoff time on a government request. The opposition pioneer, Tom "
    "Ellis, called the deal a political stunt and demanded that parliament examine the "
    "figures before any money is spent."
)
# Three reports of one event written for these tests: two quote the minister verbatim
# ("humanitarian aid"), the third alters the quote ("compassionate help").
STORY_A = (
    "Floods in northern province: government promises help\n\n"
    "Heavy rain has flooded dozens of villages in the northern province, forcing "
    "thousands of residents to leave their homes on Monday. Rescue teams used boats to "
    "reach families trapped on rooftops, and the regional hospital said it had treated "
    'more than forty people for injuries. "We will send humanitarian aid to the flooded '
    'villages of the northern province this week," said Minister Olga Brandt at a '
    "briefing in the capital. Forecasters expect more rain on Wednesday, and the river is"
    " still rising near the town of Kessel."
)

STORY_B = (
    "Minister Brandt pledges aid as northern villages flood\n\n"
    "Rivers burst their banks across the northern province after three days of storms, "
    "and emergency services evacuated residents from low-lying farms overnight. Army "
    "trucks carried drinking water and blankets to shelters set up in school buildings. "
    '"We will send humanitarian aid to the flooded villages of the northern province this'
    ' week," said Minister Olga Brandt, who visited a shelter near Kessel on Tuesday '
    "morning. Farmers warned that the spring harvest was lost in many districts and asked"
    " for compensation."
)

STORY_X = (
    "Northern province floods: thousands leave homes\n\n"
    "Torrential rain left large parts of the northern province under water this week, and"
    " local officials said roads to several villages remained closed. Volunteers filled "
    "sandbags along the river near Kessel while police directed traffic away from the "
    'bridge. "We will send compassionate help to the flooded villages of the northern '
    'province this week," said Minister Olga Brandt on Monday. Aid groups said families '
    "in the shelters needed food, dry clothes and medicine, and that the worst may not be"
    " over."
)
