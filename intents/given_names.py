"""Whether a capitalised Latin word is a person's given name ("Hannah", "Raj") rather than a project's code
name ("Atlas", "Nebula"). Context can't tell them apart ("Hannah那边…" and "Nebula那边…" read the same) and the
small English NER calls nearly any capitalised word a PERSON, so common given names are listed: English ones,
and those of colleagues a Chinese team often writes in Latin letters (Indian, Japanese, Korean, Arabic, Spanish,
Slavic). A workspace member is a person whatever this list says."""

from __future__ import annotations

_GIVEN_NAMES = frozenset(
    """
    aaron abby abigail adam adrian ahmed aiden alan albert alex alexa alexander alexandra alice alicia alina alison
    allen amanda amber amelia amir amit amy ana anan andrea andrew andy angela angelina anita ann anna anne annie
    anthony anton arjun arthur ashley austin ava barbara ben benjamin bill billy bob bobby bonnie brad brandon
    brenda brian brittany bruce bryan caleb cameron carl carla carlos carmen carol caroline carter catherine cathy
    charles charlie charlotte chen cheng chloe chris christian christina christine christopher cindy claire clara
    colin connor craig cynthia daisy dan daniel daniela danny darren dave david dean deborah denise dennis derek
    diana diego dmitri dmitry dominic donald donna doris dorothy douglas dylan eddie edward elaine eleanor elena eli
    elijah elizabeth ella ellen emily emma eric erica erik ethan eva evan evelyn fatima felix fernando fiona frank
    gabriel gary george gina gloria grace greg gregory hana hannah harry heather helen henry hiro hiroshi holly
    howard hugo hyun ian igor irene isaac isabel isabella ivan jack jackson jacob jake james jamie jan jane janet
    jason javier jay jean jeff jeffrey jennifer jenny jeremy jerry jesse jessica jill jim jimmy joan joe joel john
    johnny jon jonathan jordan jorge jose joseph josh joshua joy joyce juan judy julia julian julie justin kai
    karen karim kate katherine kathy katie kay keith kelly ken kenji kenneth kevin khalid kim kumar kyle laura
    lauren leah lee leo leon leslie liam lily linda lisa liz logan lois lorenzo louis lucas lucy luis luke lynn
    maggie malik mandy marco marcus margaret maria mario mark marta martin mary mason matt matthew max maya megan
    mei melissa mia michael michelle miguel mike min mohammed monica nadia nancy naomi natalie nathan neil nick
    nicole nina noah nora olga olivia omar oscar owen pablo pam pamela patricia patrick paul paula peggy peter
    phil philip pooja priya rachel rahul raj rajesh ralph ramesh randy raul ravi ray rebecca richard rick rita
    rob robert robin roger ron ronald rose ruby russell ruth ryan sakura sally sam samantha samuel sandra sara
    sarah scott sean sergei sergey shawn sharon shirley simon sofia sophia sophie stanley stella stephanie stephen
    steve steven sue susan suresh takashi tanya taro teresa terry thomas tim timothy tina todd tom tommy tony
    tracy tyler valerie vanessa victor victoria vijay vincent vivian walter wayne wendy william yan yang yasmin
    yuki yuna yusuf yuto zach zoe
    aarav abdul adriana agnieszka ahmad aisha akira aleksandr alessandro alfredo ali alma amara amina amira ana
    anders andre andreas andrei aneta angelo anika anja ankit antonio anya aria ariana arnav asha ayesha aylin
    beatriz bella benedikt bianca bjorn bogdan bruno camila carina carlo catalina cecilia cesar chiara chloe
    christoph claudia cristina dalia damian dana dario darius deepak deepika dina divya dominik duc eduardo elias
    elif elin emil emilia emre enrique erin esther fabian fabio farah fatma federico felipe filip florian francesca
    francisco gabriela giorgio giulia giuseppe gustavo hamza hans hassan hector helena hiroko hugo ibrahim ines
    ingrid isabela ismail jakob jakub jasmine javed jens jiho joao johan jonas jorge josefina julio jun junho
    kamal karina karl kasia katarzyna kavya kemal kenta kiran klaus krishna kristina lars laila layla leila lena
    leonardo lina linh lorena luca lucia luisa lukas magda magnus mahmoud maja manuel marek mariana marina marko
    mateo matteo maxim mehmet mei-ling mikhail milan minh mira mohamed mohammad monika nadia nam nasser natasha
    nikhil nikita nikolai nils noor nour olena oleg omar pavel pedro petra pierre piotr pradeep priyanka rafael
    rania raquel reza ricardo rohan rosa rui ryo sadia said salma samir sana sanjay santiago sara saanvi sebastian
    seo-yeon shreya shu siddharth silvia sina sita sven tamara tariq teresa thanh thiago tobias tomas tomasz
    ulrich valentina vera viktor vikram vivek wojciech xavier yara yasmin yousef yuri yusuf zainab zara zeynep
    abby aubrey audrey blake brooke chelsea courtney gavin hailey
    hayden jocelyn jules kayla kendall kylie lila logan mackenzie mariah mila molly
    morgan nadine paige parker penelope quinn reese riley scarlett taylor
    wyatt
    """.split()
)


def is_given_name(word: str) -> bool:
    """True when `word` (any case) is a common given name."""
    return word.casefold() in _GIVEN_NAMES
