/**
 * Word lists and templates of the "long-anchors" workload (long-anchors.ts), one record per
 * language the topic filter reads. Written for the benchmark, not taken from the labelled test
 * sets. Slots: {name} Alita as a namesake, {film} a name of the film, {sequel} a sequel noun,
 * {actor} a cast member, {other} another work, {studio}, {place}, {n} a number; {mention} in an
 * echo is the item's {name} or {film}. Anchors and sequel nouns are the topic rule's terms as
 * data/topic.json spells them: long-anchors.ts keeps only those the file still has.
 */

export type ItemKind = 'namesake' | 'castSequel' | 'cameronSequels' | 'seriesPart' | 'fanArt' | 'plain' | 'onTopic';

/** [title, lede] */
export type Template = [string, string];

export interface Language {
  code: string;
  /** The channel's <language>. */
  locale: string;
  /** Channel title and description (never naming the film: that would make the feed "about Alita"). */
  site: string;
  about: string;
  /** Between words: a space, or nothing in Japanese. */
  joiner: string;
  stop: string;
  /** Around a film's name in running text: nothing, or 『』 in Japanese. */
  quotes: [string, string];
  /** Anchors of topic.json this language's press writes, and the namesake's spelling. */
  anchors: string[];
  name: string;
  /** Sequel nouns (terms of topic.json), all of one grammatical gender so the templates agree. */
  sequels: string[];
  /** How a term is written in running text (German capitalises nouns; Japanese has no case). */
  display: (term: string) => string;
  places: string[];
  studios: string[];
  /** Other works: Latin-script ones are kept only if topic.json lists them under otherWorks. */
  others: string[];
  /** Filler vocabulary for the article body: film news, and everyday things (a namesake's article names no film). */
  words: string[];
  everyday: string[];
  templates: Record<ItemKind, Template[]>;
  /** Sentences said again in the article: the item's name of Alita, and another work's sequel. */
  echoes: { mention: string[]; other: string[] };
}

const words = (text: string) => text.split(' ');
export const capitalise = (term: string) => term.charAt(0).toUpperCase() + term.slice(1);
export const titleCase = (term: string) => term.replace(/(^|\s)(\p{L})/gu, (_m, space: string, letter: string) => space + letter.toUpperCase());
const STUDIOS = ['Paramount', 'Universal', 'Warner Bros.', 'Sony Pictures', 'Lionsgate', 'A24', 'Neon', 'Netflix', 'Amazon MGM', 'Legendary'];
const OTHERS = ['avatar', 'sin city', 'machete', 'spy kids', 'predators', 'desperado', 'dune', 'mad max', 'john wick', 'blade runner'];

export const LANGUAGES: Language[] = [
  {
    code: 'en', locale: 'en-us', site: 'Screen Wire', about: 'Film and TV news', joiner: ' ', stop: '.', quotes: ['', ''],
    anchors: ['alita', 'battle angel', 'iron city'], name: 'Alita', sequels: ['sequel', 'prequel', 'follow up', 'trilogy'], display: titleCase,
    places: ['Atlanta', 'Toronto', 'Austin', 'Vancouver', 'London', 'Sydney'], studios: STUDIOS, others: OTHERS,
    words: words('the studio said on Tuesday that production would move to a larger stage while the team finished the score and the first cut was shown to a small audience of critics and local press who praised the pace the cast and the effects of the long opening sequence before the holiday release window'),
    templates: {
      namesake: [
        ['Racehorse {name} wins the {place} Stakes, owners already dream of a {sequel}', "The filly {name}, named after the owner's grandmother, won by two lengths in {place} on Sunday, and her trainer joked that a {sequel} in the autumn is already planned."],
        ['{name} 2 robot vacuum review: quieter, better battery', "The {name} 2 robot vacuum is the {sequel} to last year's budget model, with an app that finally works and a battery that lasts a whole flat in {place}."],
      ],
      castSequel: [["{actor} joins the {sequel} to '{other}'", '{actor}, best known for {film}, has signed on for the {sequel} to {other}, the studio confirmed this week in {place}.']],
      cameronSequels: [['James Cameron says the next Avatar {sequel} is on schedule', 'Cameron, who produced {film}, said in {place} that the Avatar calendar holds, with Avatar {n} in the edit.']],
      seriesPart: [['Cyberpunk on screen: {other}, {film} and the cities of tomorrow (part 2 of our series)', 'This week our series on cyberpunk cinema looks at how {other} and {film} imagined the cities of tomorrow; part three follows next week.']],
      fanArt: [['Fan art of the week: {film}, Motoko and Ripley', "This week's fan art roundup features a painting of {film} by an artist from {place}, a charcoal Motoko and a very large Ripley mural."]],
      plain: [["{studio} gives the green light to a {sequel} of '{other}'", '{studio} has confirmed a {sequel} to {other}, with the original cast expected back and filming planned in {place} next spring.']],
      onTopic: [['Robert Rodriguez says the {film} {sequel} script is ready', 'Rodriguez told fans in {place} that the {film} {sequel} is already written and that James Cameron and Jon Landau are still talking to Disney about making it.']],
    },
    everyday: words('the company said the new model ships next month with a larger battery a brighter screen and a lower price than last year while reviewers praised the build quality the quiet motor and the easy setup that takes only a few minutes in a small apartment'),
    echoes: { mention: ['Searches for {mention} rose sharply after the news.', 'By the evening {mention} was the most searched name on the site.'], other: ['Filming on the {sequel} to {other} starts in {place} next spring.'] },
  },
  {
    code: 'es', locale: 'es-es', site: 'Cine Diario', about: 'Noticias de cine y series', joiner: ' ', stop: '.', quotes: ['', ''],
    anchors: ['alita', 'ángel de combate', 'ciudad de hierro'], name: 'Alita', sequels: ['secuela', 'continuación', 'trilogía'], display: capitalise,
    places: ['Madrid', 'Barcelona', 'Sevilla', 'Ciudad de México', 'Buenos Aires', 'Bogotá'], studios: STUDIOS, others: OTHERS,
    words: words('la productora confirmó que el rodaje de la película empezará en primavera con un reparto internacional y un presupuesto mayor según fuentes cercanas al proyecto que hablaron con la prensa local sobre el estreno en cines y la llegada a las plataformas antes de fin de año'),
    templates: {
      namesake: [
        ['La yegua {name} gana el Gran Premio de {place} y sus dueños ya sueñan con una {sequel}', 'La yegua {name}, bautizada así por la abuela de su dueño, ganó por dos cuerpos en {place} el domingo, y su entrenador bromeó con una {sequel} en otoño.'],
        ['Análisis del robot aspirador {name} 2: más silencioso y con mejor batería', 'El {name} 2 es la {sequel} del robot aspirador barato del año pasado, con una aplicación que por fin funciona y una batería que aguanta todo un piso en {place}.'],
      ],
      castSequel: [['{actor} se une a la {sequel} de «{other}»', '{actor}, intérprete de {film}, ha firmado para la {sequel} de {other}, según confirmó el estudio esta semana en {place}.']],
      cameronSequels: [['James Cameron asegura que la próxima {sequel} de Avatar llegará a tiempo', 'Cameron, que produjo {film}, dijo en {place} que el calendario de Avatar se mantiene, con Avatar {n} en montaje.']],
      seriesPart: [['El cyberpunk en el cine: {other}, {film} y las ciudades del mañana (parte 2 de nuestra serie)', 'Esta semana nuestra serie sobre el cine cyberpunk repasa cómo {other} y {film} imaginaron las ciudades del futuro; la tercera entrega, la semana que viene.']],
      fanArt: [['Fan art de la semana: {film}, Motoko y Ripley', 'El repaso semanal de fan art incluye una pintura de {film} de una artista de {place}, una Motoko a carboncillo y un mural enorme de Ripley.']],
      plain: [['{studio} da luz verde a la {sequel} de «{other}»', '{studio} ha confirmado la {sequel} de {other}, con el reparto original y el rodaje previsto en {place} la próxima primavera.']],
      onTopic: [['Robert Rodriguez: el guion de la {sequel} de {film} ya está escrito', 'Rodriguez contó a los fans en {place} que la {sequel} de {film} ya está escrita y que James Cameron y Jon Landau siguen hablando con Disney para hacerla.']],
    },
    everyday: words('la empresa dijo que el nuevo modelo llegará a las tiendas el mes que viene con una batería más grande una pantalla más brillante y un precio más bajo que el año pasado mientras los analistas elogiaron la calidad de los materiales el motor silencioso y la instalación sencilla'),
    echoes: { mention: ['Las búsquedas de {mention} se dispararon tras la noticia.', '{mention} fue tendencia durante la tarde.'], other: ['El rodaje de la {sequel} de {other} empieza en {place} la próxima primavera.'] },
  },
  {
    code: 'fr', locale: 'fr-fr', site: 'Écran Total', about: 'Actualité du cinéma et des séries', joiner: ' ', stop: '.', quotes: ['', ''],
    anchors: ['alita', 'ange de combat', 'ange conquérant'], name: 'Alita', sequels: ['suite', 'trilogie'], display: capitalise,
    places: ['Paris', 'Lyon', 'Marseille', 'Bruxelles', 'Montréal', 'Genève'], studios: STUDIOS, others: OTHERS,
    words: words('le studio a confirmé que le tournage du film commencera au printemps avec une distribution internationale et un budget plus important selon des sources proches du projet qui ont parlé à la presse locale de la sortie en salles et de l arrivée sur les plateformes avant la fin de l année'),
    templates: {
      namesake: [
        ['La chanteuse {name} annonce la {sequel} de son premier album', "La chanteuse {name}, née à {place}, sortira le mois prochain la {sequel} de son premier album, avec les mêmes musiciens et une tournée à l'automne."],
        ['Test du robot aspirateur {name} 2 : plus silencieux, meilleure batterie', "Le {name} 2 est la {sequel} du robot aspirateur à petit prix de l'an dernier, avec une application qui fonctionne enfin et une batterie qui tient tout un appartement à {place}."],
      ],
      castSequel: [['{actor} rejoint la {sequel} de « {other} »', '{actor}, interprète de {film}, a signé pour la {sequel} de {other}, a confirmé le studio cette semaine à {place}.']],
      cameronSequels: [["James Cameron assure que la prochaine {sequel} d'Avatar sera à l'heure", "Cameron, qui a produit {film}, a déclaré à {place} que le calendrier d'Avatar tient, avec Avatar {n} en montage."]],
      seriesPart: [['Le cyberpunk au cinéma : {other}, {film} et les villes de demain (partie 2 de notre série)', 'Cette semaine, notre série sur le cinéma cyberpunk montre comment {other} et {film} ont imaginé les villes du futur ; troisième partie la semaine prochaine.']],
      fanArt: [['Les fan arts de la semaine : {film}, Motoko et Ripley', "Notre sélection de fan arts met à l'honneur une peinture de {film} par une artiste de {place}, une Motoko au fusain et une immense fresque de Ripley."]],
      plain: [['{studio} donne son feu vert à une {sequel} de « {other} »', "{studio} a confirmé une {sequel} de {other}, avec la distribution d'origine et un tournage prévu à {place} au printemps prochain."]],
      onTopic: [["Robert Rodriguez : le scénario de la {sequel} d'{film} est déjà écrit", "Rodriguez a confié aux fans à {place} que la {sequel} d'{film} est déjà écrite et que James Cameron et Jon Landau discutent toujours avec Disney pour la tourner."]],
    },
    everyday: words('l entreprise a indiqué que le nouveau modèle arrivera en magasin le mois prochain avec une batterie plus grande un écran plus lumineux et un prix plus bas que l an dernier tandis que les testeurs ont salué la qualité de fabrication le moteur silencieux et l installation simple'),
    echoes: { mention: ["Les recherches sur {mention} ont bondi après l'annonce.", '{mention} était en tendance dans la soirée.'], other: ['Le tournage de la {sequel} de {other} commence à {place} au printemps prochain.'] },
  },
  {
    code: 'de', locale: 'de-de', site: 'Filmwelt', about: 'Nachrichten aus Kino und Fernsehen', joiner: ' ', stop: '.', quotes: ['', ''],
    anchors: ['alita', 'battle angel'], name: 'Alita', sequels: ['fortsetzung', 'trilogie'], display: (term) => (term === 'battle angel' ? titleCase(term) : capitalise(term)),
    places: ['Berlin', 'München', 'Hamburg', 'Köln', 'Wien', 'Zürich'], studios: STUDIOS, others: OTHERS,
    words: words('das Studio bestätigte dass die Dreharbeiten für den Film im Frühjahr beginnen sollen mit einer internationalen Besetzung und einem größeren Budget wie Quellen aus dem Umfeld der Produktion der lokalen Presse über den Kinostart und den Start bei den Streamingdiensten vor Ende des Jahres sagten'),
    templates: {
      namesake: [
        ['Sängerin {name} kündigt die {sequel} ihres Debütalbums an', 'Die Sängerin {name} aus {place} bringt im nächsten Monat die {sequel} ihres Debütalbums heraus, mit derselben Band und einer Tournee im Herbst.'],
        ['Staubsauger-Roboter {name} 2 im Test: leiser, bessere Akkulaufzeit', 'Der Staubsauger {name} 2 ist die {sequel} des günstigen Roboters aus dem Vorjahr, mit einer App, die endlich funktioniert, und einem Akku, der eine ganze Wohnung in {place} schafft.'],
      ],
      castSequel: [['{actor} spielt in der {sequel} von „{other}“ mit', '{actor}, bekannt aus {film}, hat für die {sequel} von {other} unterschrieben, wie das Studio diese Woche in {place} bestätigte.']],
      cameronSequels: [['James Cameron: Die nächste {sequel} von Avatar kommt pünktlich', 'Cameron, der {film} produziert hat, sagte in {place}, der Zeitplan für Avatar stehe, Avatar {n} sei im Schnitt.']],
      seriesPart: [['Cyberpunk im Kino: {other}, {film} und die Städte von morgen (Teil 2 unserer Serie)', 'Diese Woche geht es in unserer Serie über Cyberpunk im Kino darum, wie {other} und {film} sich die Städte der Zukunft vorgestellt haben; Teil drei folgt nächste Woche.']],
      fanArt: [['Fan-Art der Woche: {film}, Motoko und Ripley', 'Unsere wöchentliche Fan-Art-Auswahl zeigt ein Gemälde von {film} einer Künstlerin aus {place}, eine Motoko in Kohle und ein riesiges Ripley-Wandbild.']],
      plain: [['{studio} gibt grünes Licht für eine {sequel} von „{other}“', '{studio} hat eine {sequel} von {other} bestätigt, mit der ursprünglichen Besetzung und Dreharbeiten in {place} im kommenden Frühjahr.']],
      onTopic: [['Robert Rodriguez: Das Drehbuch für die {sequel} von {film} ist schon geschrieben', 'Rodriguez sagte Fans in {place}, die {sequel} von {film} sei bereits geschrieben, und James Cameron und Jon Landau sprächen weiter mit Disney darüber.']],
    },
    everyday: words('das Unternehmen sagte dass das neue Modell nächsten Monat in den Handel kommt mit einem größeren Akku einem helleren Bildschirm und einem niedrigeren Preis als im Vorjahr während die Tester die Verarbeitung den leisen Motor und die einfache Einrichtung lobten'),
    echoes: { mention: ['Die Suchanfragen nach {mention} stiegen nach der Meldung stark an.', '{mention} war am Abend in den Trends.'], other: ['Die Dreharbeiten zur {sequel} von {other} beginnen im Frühjahr in {place}.'] },
  },
  {
    code: 'it', locale: 'it-it', site: 'Cinema Oggi', about: 'Notizie di cinema e serie tv', joiner: ' ', stop: '.', quotes: ['', ''],
    anchors: ['alita', 'angelo della battaglia'], name: 'Alita', sequels: ['seguito'], display: capitalise,
    places: ['Roma', 'Milano', 'Torino', 'Napoli', 'Bologna', 'Venezia'], studios: STUDIOS, others: OTHERS,
    words: words('lo studio ha confermato che le riprese del film inizieranno in primavera con un cast internazionale e un budget più alto stando a fonti vicine al progetto che hanno parlato con la stampa locale della distribuzione nelle sale e dell arrivo sulle piattaforme prima della fine dell anno'),
    templates: {
      namesake: [
        ['La cavalla {name} vince il Premio {place}, i proprietari sognano già un {sequel}', "La cavalla {name}, chiamata così in onore della nonna del proprietario, ha vinto di due lunghezze a {place} domenica; il suo allenatore scherza già su un {sequel} in autunno."],
        ['Recensione del robot aspirapolvere {name} 2: più silenzioso, batteria migliore', "Il {name} 2 è il {sequel} del robot aspirapolvere economico dell'anno scorso, con un'app che finalmente funziona e una batteria che regge un intero appartamento a {place}."],
      ],
      castSequel: [['{actor} entra nel cast del {sequel} di «{other}»', '{actor}, interprete di {film}, ha firmato per il {sequel} di {other}, come ha confermato lo studio questa settimana a {place}.']],
      cameronSequels: [['James Cameron: il prossimo {sequel} di Avatar arriverà puntuale', 'Cameron, che ha prodotto {film}, ha detto a {place} che il calendario di Avatar regge, con Avatar {n} al montaggio.']],
      seriesPart: [['Il cyberpunk al cinema: {other}, {film} e le città di domani (parte 2 della nostra serie)', 'Questa settimana la nostra serie sul cinema cyberpunk racconta come {other} e {film} hanno immaginato le città del futuro; la terza parte la prossima settimana.']],
      fanArt: [['Le fan art della settimana: {film}, Motoko e Ripley', "La nostra selezione settimanale di fan art presenta un dipinto di {film} di un'artista di {place}, una Motoko a carboncino e un enorme murale di Ripley."]],
      plain: [['{studio} dà il via libera al {sequel} di «{other}»', '{studio} ha confermato il {sequel} di {other}, con il cast originale e le riprese previste a {place} la prossima primavera.']],
      onTopic: [['Robert Rodriguez: la sceneggiatura del {sequel} di {film} è già scritta', 'Rodriguez ha detto ai fan a {place} che il {sequel} di {film} è già scritto e che James Cameron e Jon Landau parlano ancora con Disney per farlo.']],
    },
    everyday: words('l azienda ha detto che il nuovo modello arriverà nei negozi il mese prossimo con una batteria più grande uno schermo più luminoso e un prezzo più basso dell anno scorso mentre i recensori hanno lodato la qualità costruttiva il motore silenzioso e la configurazione semplice'),
    echoes: { mention: ['Le ricerche su {mention} sono aumentate dopo la notizia.', '{mention} era tra i trend in serata.'], other: ['Le riprese del {sequel} di {other} iniziano a {place} la prossima primavera.'] },
  },
  {
    code: 'pt', locale: 'pt-br', site: 'Tela Quente', about: 'Notícias de cinema e séries', joiner: ' ', stop: '.', quotes: ['', ''],
    anchors: ['alita', 'anjo de combate', 'cidade de ferro'], name: 'Alita', sequels: ['sequência', 'continuação', 'trilogia'], display: capitalise,
    places: ['São Paulo', 'Rio de Janeiro', 'Lisboa', 'Porto', 'Belo Horizonte', 'Recife'], studios: STUDIOS, others: OTHERS,
    words: words('o estúdio confirmou que as filmagens do filme começam na primavera com um elenco internacional e um orçamento maior conforme fontes próximas do projeto que falaram com a imprensa local sobre a estreia nos cinemas e a chegada às plataformas antes do fim do ano'),
    templates: {
      namesake: [
        ['A égua {name} vence o Grande Prêmio de {place} e os donos já sonham com uma {sequel}', 'A égua {name}, batizada em homenagem à avó do dono, venceu por dois corpos em {place} no domingo, e o treinador brincou sobre uma {sequel} no outono.'],
        ['Análise do robô aspirador {name} 2: mais silencioso e com bateria melhor', 'O {name} 2 é a {sequel} do robô aspirador barato do ano passado, com um aplicativo que finalmente funciona e uma bateria que dá conta de um apartamento inteiro em {place}.'],
      ],
      castSequel: [['{actor} entra para a {sequel} de “{other}”', '{actor}, que deu vida a uma personagem de {film}, assinou para a {sequel} de {other}, confirmou o estúdio nesta semana em {place}.']],
      cameronSequels: [['James Cameron garante que a próxima {sequel} de Avatar chega no prazo', 'Cameron, que produziu {film}, disse em {place} que o calendário de Avatar está mantido, com Avatar {n} em montagem.']],
      seriesPart: [['O cyberpunk no cinema: {other}, {film} e as cidades do amanhã (parte 2 da nossa série)', 'Nesta semana, nossa série sobre o cinema cyberpunk mostra como {other} e {film} imaginaram as cidades do futuro; a terceira parte sai na semana que vem.']],
      fanArt: [['Fan art da semana: {film}, Motoko e Ripley', 'A seleção semanal de fan art traz uma pintura de {film} feita por uma artista de {place}, uma Motoko a carvão e um mural enorme da Ripley.']],
      plain: [['{studio} dá sinal verde para a {sequel} de “{other}”', '{studio} confirmou a {sequel} de {other}, com o elenco original e filmagens previstas em {place} na próxima primavera.']],
      onTopic: [['Robert Rodriguez: o roteiro da {sequel} de {film} já está escrito', 'Rodriguez contou aos fãs em {place} que a {sequel} de {film} já está escrita e que James Cameron e Jon Landau seguem conversando com a Disney para fazê-la.']],
    },
    everyday: words('a empresa disse que o novo modelo chega às lojas no mês que vem com uma bateria maior uma tela mais brilhante e um preço menor que o do ano passado enquanto os analistas elogiaram a qualidade de construção o motor silencioso e a instalação simples'),
    echoes: { mention: ['As buscas por {mention} dispararam depois da notícia.', '{mention} ficou entre os assuntos do momento à noite.'], other: ['As filmagens da {sequel} de {other} começam em {place} na próxima primavera.'] },
  },
  {
    code: 'ja', locale: 'ja-jp', site: '映画ニュース', about: '映画とドラマのニュース', joiner: '', stop: '。', quotes: ['『', '』'],
    anchors: ['アリータ', '銃夢', 'アイアンシティ'], name: 'アリータ', sequels: ['続編', '次回作'], display: (term) => term,
    places: ['東京', '大阪', '京都', '名古屋', '福岡', '札幌'], studios: ['東宝', '東映', '松竹', 'ワーナー', 'ソニー・ピクチャーズ'],
    others: ['アバター', 'シン・シティ', 'マチェーテ', 'スパイキッズ', 'デューン', 'マッドマックス'],
    words: ['制作会社は', '新作映画の', '撮影が', '春に', '始まると', '発表した', '国際的な', 'キャストと', '大きな予算で', '関係者によると', '公開は', '来年の', '夏を', '予定しており', '配信も', '年内に', '始まる見込みだ', '監督は', 'インタビューで', '作品について', '語った', 'ファンの', '反応は', '上々で', '試写会では', '拍手が', '起きた'],
    templates: {
      namesake: [
        ['シンガーソングライター{name}、デビュー曲の{sequel}となる新曲を発表', '{place}出身の歌手{name}が、デビュー曲の{sequel}にあたる新曲を来月配信すると発表した。'],
        ['ロボット掃除機「{name}2」レビュー　静かになりバッテリーも改善', '「{name}2」は昨年の低価格ロボット掃除機の{sequel}で、アプリがようやく使いやすくなり、{place}の部屋全体を一度で掃除できる。'],
      ],
      castSequel: [['{actor}、『{other}』の{sequel}に出演決定', '{film}で知られる{actor}が『{other}』の{sequel}に出演することが決まったと、スタジオが今週{place}で発表した。']],
      cameronSequels: [['ジェームズ・キャメロン「『アバター』の{sequel}は予定通り」', '{film}を製作したキャメロンは{place}で、『アバター{n}』は編集中だと語った。']],
      seriesPart: [['映画の中のサイバーパンク　『{other}』と{film}が描いた未来都市（連載第2回）', '今週の連載では、『{other}』と{film}が未来の都市をどう描いたかを振り返る。第3回は来週掲載予定。']],
      fanArt: [['今週のファンアート　{film}、素子、リプリー', '今週のファンアート特集では、{place}のアーティストが描いた{film}の絵画や、木炭で描かれた素子、巨大なリプリーの壁画を紹介する。']],
      plain: [['{studio}、『{other}』の{sequel}製作を正式発表', '{studio}は『{other}』の{sequel}を製作すると発表した。オリジナルキャストが再集結し、来春{place}で撮影が始まる予定だ。']],
      onTopic: [['ロバート・ロドリゲス監督「{film}の{sequel}の脚本はもう書いてある」', 'ロドリゲス監督は{place}のファンイベントで、{film}の{sequel}の脚本はもう書き上がっており、ジェームズ・キャメロンとジョン・ランドーがディズニーと話し合いを続けていると明かした。']],
    },
    everyday: ['メーカーは', '新モデルを', '来月', '発売すると', '発表した', 'バッテリーが', '大きくなり', '画面も', '明るくなった', '価格は', '昨年より', '安く', 'レビューでは', '静かな', 'モーターと', '簡単な', '設定が', '好評だった'],
    echoes: { mention: ['ニュースの後、{mention}の検索数が急増した。', '夜には{mention}がトレンド入りした。'], other: ['『{other}』の{sequel}の撮影は来春{place}で始まる。'] },
  },
];

