"""Copies written by hand for the real-copy tests (for this project, CC0).

Each is a copy of ``provenance_samples.ORIGINAL`` made the way it is made in the wild:
a spinner's heavy synonym swapping, an outlet's house style, a wire story run by three
outlets, a language model's rewording.
"""

from __future__ import annotations

from provenance_samples import ORIGINAL

# About half the content words swapped, phrases included, as SpinBot does; names,
# numbers and most function words kept.
SPUN_HEAVY = """\
Weighty precipitation inundated the harbour quarter of Port Allen on Tuesday evening, compelling in excess of 300 inhabitants to depart their dwellings, the municipal board expressed on Wednesday.

The stream climbed by almost two meters in six hrs after a tempest slowed down over the slopes north of the township. Fire groups utilized little vessels to achieve households caught on the higher storeys of aged structures close to the wharves.

Mayor Helen Ortiz expressed the crisis refuges at the athletics auditorium and the main archive would remain accessible for the remainder of the period. "We are requesting individuals to avoid the liquid and to verify their neighbors," she informed journalists outside the township lobby.

The provincial climate bureau cautioned that more precipitation was anticipated on Thursday and that the soil was previously soaked. Technicians were examining the ancient rock span on Mill Street, which was shut to vehicles as a safeguard.

Neighbourhood companies close to the harbour described severe harm to inventory and gear. The council of trade said it would open a pool to aid little stores recuperate, and the federal administration pledged to dispatch extra pumping units and skilled personnel by Friday dawn.
"""

# The same story in another outlet's house style: US spelling, "says", a credit line.
HOUSE_STYLE = """\
PORT ALLEN (AP) - Heavy rain flooded the harbor district of Port Allen on Tuesday night, forcing more than 300 residents to leave their homes, the city council says.

The river rose by nearly two meters in six hours after a storm stalled over the hills north of the town. Fire crews used small boats to reach families trapped on the upper floors of older buildings near the docks.

Mayor Helen Ortiz says the emergency shelters at the sports hall and the central library will stay open for the rest of the week. "We are asking people to stay away from the water and to check on their neighbors," she told reporters outside the town hall.

The regional weather office warned that more rain was expected Thursday and that the ground was already saturated. Engineers were inspecting the old stone bridge on Mill Street, which was closed to traffic as a precaution.

Local businesses near the harbor reported serious damage to stock and equipment. The chamber of commerce said it would open a fund to help small shops recover, and the US government promised to send additional pumps and trained staff by Friday morning.
"""

_PARAS = ORIGINAL.strip().split("\n\n")

# One wire story, three outlets: two add a paragraph of their own, one trims the end.
WIRE_A = (
    "\n\n".join(_PARAS)
    + "\n\nIn Port Allen's market square, volunteers from the Red Lantern choir handed out"
    " blankets and hot soup to families waiting for news of their streets.\n"
)
WIRE_B = (
    "\n\n".join(_PARAS[:2])
    + "\n\nThe flood is the worst in the valley since 1987, when the same river destroyed"
    " the old ferry landing and cut the coastal railway for a month.\n\n"
    + "\n\n".join(_PARAS[2:])
    + "\n"
)
WIRE_C = "\n\n".join(_PARAS[:3]) + "\n"

# A language model's "rewrite this in your own words": every sentence reworded, the
# facts, names, numbers and the quote kept, paragraphs reordered, nothing added.
REWRITE = """\
Torrential downpours swamped the waterfront neighbourhood of Port Allen late on Tuesday, and upwards of 300 people had to abandon their houses, according to a statement the city council issued on Wednesday.

A storm parked itself over the high ground to the north, and within six hours the river had climbed almost two metres. Firefighters took to small boats to rescue families stranded on the top storeys of ageing buildings by the docks.

Speaking to journalists in front of the town hall, Mayor Helen Ortiz explained that the sports hall and the central library will keep serving as emergency shelters until the weekend. "We are asking people to stay away from the water and to check on their neighbours," she said.

Thursday is set to bring yet more rain, forecasters at the regional weather office cautioned, with the soil unable to soak up any more. As a precaution, traffic has been barred from the Mill Street bridge, an old stone crossing, while engineers examine it.

Shops and firms close to the waterfront said their stock and machinery had been badly hit. The chamber of commerce plans a fund so that small traders can get back on their feet, and the national government pledged to deliver extra pumps and trained crews before Friday morning.
"""
